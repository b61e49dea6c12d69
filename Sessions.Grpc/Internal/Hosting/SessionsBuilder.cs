using Microsoft.Extensions.DependencyInjection;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>The <see cref="ISessionsBuilder"/> returned by <c>AddSessions()</c>.</summary>
internal sealed class SessionsBuilder(IServiceCollection services) : ISessionsBuilder
{
    public IServiceCollection Services { get; } = services;
}

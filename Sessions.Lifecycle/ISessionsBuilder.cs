namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <c>AddSessions()</c> (Sessions.Grpc) to configure the sessions service further; stores and other
/// packages add their registrations to it as extension methods (<c>AddSessions().AddRedisStore(...)</c>).
/// </summary>
public interface ISessionsBuilder
{
    /// <summary>The service collection the sessions service was added to.</summary>
    IServiceCollection Services { get; }
}

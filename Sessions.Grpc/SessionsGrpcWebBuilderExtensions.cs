using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Requests;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Lets HTTP/1.1 clients and browsers call the sessions service with gRPC-Web:
/// <c>builder.Services.AddSessions().AddGrpcWeb()</c>.
/// </summary>
public static class SessionsGrpcWebBuilderExtensions
{
    /// <summary>
    /// Serves <c>sessions.Sessions</c> over gRPC-Web (<c>application/grpc-web</c> and <c>application/grpc-web-text</c>)
    /// as well as gRPC, on every endpoint of the host, HTTP/1.1 ones included: browsers (a grpc-web JavaScript client)
    /// and .NET clients with <c>GrpcWebHandler</c> then call it on the same port as anything else, a stock
    /// <c>http://</c> endpoint without HTTP/2 included. <c>MapSessions()</c> needs nothing more, and no
    /// <c>app.UseGrpcWeb()</c>: only the sessions service's requests are translated, with options of their own, so the
    /// host's other gRPC services and its own <c>GrpcWebOptions</c> are left as they are. Off unless this is called;
    /// calling it more than once is harmless.
    /// </summary>
    /// <remarks>
    /// A browser page from another origin also needs CORS (<c>AddCors()</c>, <c>app.UseCors()</c>) allowing the
    /// gRPC-Web headers (<c>x-grpc-web</c>, <c>grpc-timeout</c>, <c>x-api-key</c> or <c>authorization</c> for privileged
    /// calls) and exposing <c>grpc-status</c>, <c>grpc-message</c> and <c>sessions-failure-reason</c>.
    /// </remarks>
    /// <param name="builder">The builder returned by <c>AddSessions()</c>.</param>
    /// <returns>The same builder.</returns>
    public static ISessionsBuilder AddGrpcWeb(this ISessionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, SessionsGrpcWebStartupFilter>());
        return builder;
    }
}

using System.Diagnostics.CodeAnalysis;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Grpc;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Hosting;
using Sessions.Grpc.Internal.Requests;
using Sessions.Grpc.Internal.WellKnown;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Maps the sessions gRPC service: <c>app.MapSessions()</c>.
/// </summary>
public static class SessionsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <see cref="SessionsService"/> (every method of <c>sessions.Sessions</c>: <c>Create</c>, <c>Validate</c>,
    /// <c>GetKeys</c>, <c>Refresh</c>, <c>Revoke</c>, <c>RevokeAll</c>, <c>ListSessions</c>) and publishes the public keys over HTTP at
    /// <see cref="SessionsWellKnownPaths.JsonWebKeySet"/> and <see cref="SessionsWellKnownPaths.OpenIdConfiguration"/>
    /// (anonymous, cacheable; see <see cref="SessionsWellKnownPaths"/>).
    /// </summary>
    /// <param name="endpoints">The endpoint route builder, usually the <c>WebApplication</c>.</param>
    /// <returns>A builder to add conventions (authorization, CORS, ...) to the endpoints.</returns>
    /// <exception cref="InvalidOperationException"><c>AddSessions()</c> was not called, or <c>MapSessions</c> was already called on <paramref name="endpoints"/>.</exception>
    public static GrpcServiceEndpointConventionBuilder MapSessions(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapSessions<SessionsService>();

    /// <summary>
    /// Maps a class derived from <see cref="SessionsService"/> in its place, and the well-known key endpoints as
    /// <see cref="MapSessions(IEndpointRouteBuilder)"/> does. Call
    /// <c>services.AddSessions().AddService&lt;TService&gt;()</c> first.
    /// </summary>
    /// <typeparam name="TService">The derived service.</typeparam>
    /// <param name="endpoints">The endpoint route builder, usually the <c>WebApplication</c>.</param>
    /// <returns>
    /// A builder to add conventions (authorization, CORS, ...) to the gRPC endpoints; the well-known endpoints stay
    /// anonymous.
    /// </returns>
    /// <exception cref="InvalidOperationException">
    /// <c>AddSessions()</c> was not called, <c>AddService&lt;TService&gt;()</c> was not called for a derived service, or
    /// <c>MapSessions</c> was already called on <paramref name="endpoints"/>.
    /// </exception>
    public static GrpcServiceEndpointConventionBuilder MapSessions<[DynamicallyAccessedMembers(ServiceAccessibility)] TService>(this IEndpointRouteBuilder endpoints)
        where TService : SessionsService
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        if (services.GetService<SessionsMarkerService>() is null)
        {
            throw new InvalidOperationException(
                "Unable to find the required services. Add them by calling 'builder.Services.AddSessions(...)' before 'app.MapSessions()'.");
        }

        if (!services.GetServices<IConfigureOptions<GrpcServiceOptions<TService>>>().Any(o => o is SessionsGrpcServiceOptionsSetup<TService>))
        {
            throw new InvalidOperationException(
                $"The sessions service '{typeof(TService).Name}' was not added. Call 'builder.Services.AddSessions(...).AddService<{typeof(TService).Name}>()' before 'app.MapSessions<{typeof(TService).Name}>()'.");
        }

        // A second call on the same builder maps the key documents (and, without conventions telling them apart, the
        // gRPC methods) twice at the same paths: ASP.NET Core then answers each request with 500 (AmbiguousMatchException).
        if (!WellKnownEndpoints.TryMap(endpoints))
        {
            throw new InvalidOperationException(
                $"'MapSessions' was already called on this route builder: a second call maps {SessionsWellKnownPaths.JsonWebKeySet}, {SessionsWellKnownPaths.OpenIdConfiguration} " +
                "and the sessions.Sessions methods at the same paths again, and every request to them would fail with 500 (AmbiguousMatchException). " +
                "Call it once, and add conventions (RequireHost, RequireAuthorization, ...) to the builder it returns; to serve the service under a second prefix, map it in a group: app.MapGroup(\"/prefix\").MapSessions().");
        }

        var unreadable = services.GetRequiredService<UnreadableRequests>();
        GrpcServiceEndpointConventionBuilder mapped;
        using (UnreadableRequestsScope.Lend(unreadable))
        {
            mapped = endpoints.MapGrpcService<TService>();
        }

        // The limit grpc-dotnet applies to the service's requests, for a refusal that names it (GrpcFrameHeaderReader).
        if ((services.GetRequiredService<IOptions<GrpcServiceOptions<TService>>>().Value.MaxReceiveMessageSize
            ?? services.GetRequiredService<IOptions<GrpcServiceOptions>>().Value.MaxReceiveMessageSize) is { } limit)
        {
            var metadata = new SessionsReceiveLimit(limit);
            mapped.Add(endpoint => endpoint.Metadata.Add(metadata));
        }

        return mapped;
    }

    private const DynamicallyAccessedMemberTypes ServiceAccessibility =
        DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods;
}

using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// Warns at start when the host's fallback authorization policy (<c>AuthorizationOptions.FallbackPolicy</c>, often
/// <c>RequireAuthenticatedUser()</c>) applies to <c>sessions.Sessions</c> because it was mapped without an authorization
/// convention: ASP.NET Core then refuses every call that does not authenticate with the host's schemes before the
/// service sees it (HTTP 401, <c>Unauthenticated</c> "Bad gRPC response"), <c>Validate</c>, <c>GetKeys</c> and
/// <c>Refresh</c> included, and a caller with the right <c>x-api-key</c> too, while the host's log says nothing.
/// A host that wants the policy there says so with <c>RequireAuthorization()</c>, which silences this.
/// </summary>
internal sealed class FallbackPolicyCheck(IServiceProvider services, ILogger<FallbackPolicyCheck> logger) : IHostedLifecycleService
{
    // Once the host has started: the application's endpoints are in the routing's data source by then.
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IAuthorizationPolicyProvider>() is not { } policies
            || services.GetService<Microsoft.AspNetCore.Routing.EndpointDataSource>() is not { } endpoints
            || await policies.GetFallbackPolicyAsync().ConfigureAwait(false) is null)
        {
            return;
        }

        var open = endpoints.Endpoints
            .Where(endpoint => endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is { } method
                && typeof(SessionsService).IsAssignableFrom(method.ServiceType)
                && !HasAuthorizationConvention(endpoint))
            .Select(endpoint => endpoint.Metadata.GetMetadata<GrpcMethodMetadata>()!.Method.Name)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (open.Count > 0)
        {
            HostingLog.FallbackPolicyApplies(logger, string.Join(", ", open));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // What makes ASP.NET Core's authorization middleware use the endpoint's own policy instead of the fallback one.
    private static bool HasAuthorizationConvention(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
        || endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null
        || endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null
        || endpoint.Metadata.GetMetadata<IAuthorizationRequirementData>() is not null;
}

using Grpc.AspNetCore.HealthChecks;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;
using Sessions.Internal;

namespace Sessions.SampleServer;

/// <summary>
/// Closed registrations of the framework's options and logger services the sample resolves before it answers its first
/// call, as the packages make for their own (Shared/ClosedGenericServices.cs, linked here): its Native AOT build then
/// finds them compiled instead of having the runtime build each from the open generic registration, about 1.4 million
/// instructions apiece. Together with the packages' own, the server answers its first Create after a quarter fewer
/// instructions (docs/benchmarks.md, "From process start to the first answered call"). SampleClosedServicesTests lists
/// any that is missing. The services are the framework's own, made the same way; a host that registers one itself wins.
/// </summary>
internal static class SampleClosedServices
{
    /// <summary>Registers them.</summary>
    /// <param name="services">The host's services.</param>
    public static void Add(IServiceCollection services)
    {
        ClosedGenericServices.AddLogger<KestrelServer>(services);
        ClosedGenericServices.AddLogger<HostFilteringMiddleware>(services);
        ClosedGenericServices.AddLogger<ApplicationLifetime>(services);
        ClosedGenericServices.AddOptions<HostFilteringOptions>(services);
        ClosedGenericServices.AddOptions<MetricsOptions>(services);
        ClosedGenericServices.AddOptions<LoggerFilterOptions>(services);
        ClosedGenericServices.AddOptions<AuthorizationOptions>(services);
        ClosedGenericServices.AddOptions<HealthCheckOptions>(services);
        ClosedGenericServices.AddOptions<FormOptions>(services);
        ClosedGenericServices.AddOptions<RouteHandlerOptions>(services);
        ClosedGenericServices.AddOptions<RouteOptions>(services);
        ClosedGenericServices.AddOptions<HealthCheckServiceOptions>(services);
        ClosedGenericServices.AddOptions<HostOptions>(services);
        ClosedGenericServices.AddOptions<LoggerFactoryOptions>(services);
        ClosedGenericServices.AddOptions<KestrelServerOptions>(services);
        ClosedGenericServices.AddOptions<SocketTransportOptions>(services);
        ClosedGenericServices.AddOptions<ConsoleLifetimeOptions>(services);
        ClosedGenericServices.AddOptions<ValidationOptions>(services);
        ClosedGenericServices.AddOptions<HealthCheckPublisherOptions>(services);
        ClosedGenericServices.AddOptions<GrpcServiceOptions>(services);
        ClosedGenericServices.AddOptions<GrpcHealthChecksOptions>(services);
#if JSON_TRANSCODING
        ClosedGenericServices.AddOptions<Microsoft.AspNetCore.Grpc.JsonTranscoding.GrpcJsonTranscodingOptions>(services);
#endif
    }
}

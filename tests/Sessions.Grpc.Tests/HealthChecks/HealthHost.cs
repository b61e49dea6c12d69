using System.Net;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.HealthChecks;

/// <summary>
/// A host on loopback that serves its health checks as an operator probes them: <c>grpc.health.v1.Health</c> over
/// h2c on the first listener, <c>/healthz</c> over HTTP/1.1 on the second. Which checks it has is up to the
/// registration the test passes: the packages register their own.
/// </summary>
public sealed class HealthHost : IAsyncDisposable
{
    private HealthHost(LoopbackServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = new Uri(server.Addresses[1]) };
    }

    public LoopbackServer Server { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => Server.App.Services;

    public static async Task<HealthHost> StartAsync(Action<IServiceCollection> register)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Logging.ClearProviders();
        register(builder.Services);
        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks();
        var app = builder.Build();
        app.MapGrpcHealthChecksService();
        app.MapHealthChecks("/healthz");
        return new HealthHost(await LoopbackServer.StartAsync(app));
    }

    /// <summary>What <c>/healthz</c> answers: its status code and body (<c>Healthy</c>, <c>Degraded</c>, <c>Unhealthy</c>).</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetHealthzAsync()
    {
        using var response = await Http.GetAsync("/healthz");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What <c>grpc.health.v1.Health/Check</c> answers for the whole server.</summary>
    public async Task<HealthCheckResponse.Types.ServingStatus> CheckGrpcAsync() =>
        (await new global::Grpc.Health.V1.Health.HealthClient(Server.Channel).CheckAsync(new HealthCheckRequest())).Status;

    /// <summary>Every registered check's result, as the host's health check service reports them.</summary>
    public async Task<HealthReport> ReportAsync() => await Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Jwt;

namespace Sessions.Grpc.Tests.HealthChecks;

/// <summary>
/// <c>sessions-jwks</c>, registered by <c>AddJwtSessionValidation()</c>, against a session server on loopback that
/// serves the JWKS: Healthy while it answers, Degraded (still serving, last good keys in use) when it goes down,
/// Unhealthy when it was never reachable or publishes no key.
/// </summary>
public sealed class JwksHealthCheckTests
{
    private const ServingStatus Serving = ServingStatus.Serving;
    private const ServingStatus NotServing = ServingStatus.NotServing;

    private static Task<HealthHost> StartValidatorAsync(Uri jwksUri) => HealthHost.StartAsync(services => services.AddJwtSessionValidation(keys =>
    {
        keys.JwksUri = jwksUri;
        keys.MinimumRefreshInterval = TimeSpan.Zero;
    }));

    /// <summary>Waits for a fetch that starts after this call (the first one may be under way).</summary>
    private static async Task FetchAsync(HealthHost host) => await host.Services.GetRequiredService<JwksSessionKeySource>().RefreshAsync();

    private static async Task<HealthReportEntry> JwksEntryAsync(HealthHost host) => (await host.ReportAsync()).Entries[SessionHealthChecks.JwksName];

    [Fact]
    public async Task Healthy_while_the_JWKS_answers_then_degraded_with_the_last_good_keys_when_it_goes_down()
    {
        await using var issuer = await IssuerServer.StartAsync(("Keys:0:Id", "ec-1"), ("Keys:0:Algorithm", "ES256"), ("Keys:0:Generate", "true"));
        await using var host = await StartValidatorAsync(issuer.JwksUri);
        await FetchAsync(host);

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await host.GetHealthzAsync());
        Assert.Equal(Serving, await host.CheckGrpcAsync());
        var healthy = await JwksEntryAsync(host);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Contains(issuer.JwksUri.ToString(), healthy.Description, StringComparison.Ordinal);
        Assert.Contains("'ec-1' (ES256)", healthy.Description, StringComparison.Ordinal);

        await issuer.Server.App.StopAsync();
        await FetchAsync(host);

        // Every validating instance fetches the same JWKS: one outage must not take them all out of the load balancer.
        Assert.Equal((HttpStatusCode.OK, "Degraded"), await host.GetHealthzAsync());
        Assert.Equal(Serving, await host.CheckGrpcAsync());
        var degraded = await JwksEntryAsync(host);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains(issuer.JwksUri.ToString(), degraded.Description, StringComparison.Ordinal);
        Assert.Contains("cannot be fetched", degraded.Description, StringComparison.Ordinal);
        Assert.Contains("1 key(s) fetched", degraded.Description, StringComparison.Ordinal);
        Assert.Contains(" s ago", degraded.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unhealthy_when_the_JWKS_was_never_reachable_and_the_address_is_named_without_credentials()
    {
        var port = UnusedPort();
        await using var host = await StartValidatorAsync(new Uri($"http://reader:hunter2@127.0.0.1:{port}/.well-known/jwks.json?api_key=s3cr3t"));
        await FetchAsync(host);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await host.GetHealthzAsync());
        Assert.Equal(NotServing, await host.CheckGrpcAsync());
        var entry = await JwksEntryAsync(host);
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains($"http://127.0.0.1:{port}/.well-known/jwks.json", entry.Description, StringComparison.Ordinal);
        Assert.Contains("never been fetched", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unhealthy_when_the_JWKS_publishes_no_key()
    {
        await using var issuer = await IssuerServer.StartAsync(("Secret", SessionsHost.Secret));
        await using var host = await StartValidatorAsync(issuer.JwksUri);
        await FetchAsync(host);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await host.GetHealthzAsync());
        Assert.Equal(NotServing, await host.CheckGrpcAsync());
        Assert.Contains("holds no usable key", (await JwksEntryAsync(host)).Description, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nobody listens on: bound by the system, then released.</summary>
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

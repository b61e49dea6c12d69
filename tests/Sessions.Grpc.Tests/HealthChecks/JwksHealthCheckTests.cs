using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sessions.Grpc.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
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

    [Fact]
    public async Task Degraded_when_no_fetch_completed_on_schedule_although_none_failed()
    {
        await using var issuer = await IssuerServer.StartAsync(("Keys:0:Id", "ec-1"), ("Keys:0:Algorithm", "ES256"), ("Keys:0:Generate", "true"));
        var document = await issuer.Http.GetStringAsync(issuer.JwksUri);
        await using var jwks = HangingJwksServer.Start(document);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await HealthHost.StartAsync(services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddJwtSessionValidation(keys =>
            {
                keys.JwksUri = jwks.Uri;
                keys.MinimumRefreshInterval = TimeSpan.Zero;
            });
        });
        await FetchAsync(host);
        Assert.Equal(HealthStatus.Healthy, (await JwksEntryAsync(host)).Status);
        var options = new JwksSessionKeySourceOptions();   // the defaults this host runs with

        // The scheduled fetch starts and hangs (the server takes the request and never answers), and its timeout, on
        // the same clock, has not passed: nothing failed, but the keys are older than the schedule allows.
        var served = jwks.Hang();
        clock.Advance(options.RefreshInterval + options.FetchTimeout + TimeSpan.FromSeconds(1));
        await jwks.WaitForRequestsAsync(served + 1);

        Assert.Equal((HttpStatusCode.OK, "Degraded"), await host.GetHealthzAsync());
        Assert.Equal(Serving, await host.CheckGrpcAsync());
        var entry = await JwksEntryAsync(host);
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("longer than its schedule", entry.Description, StringComparison.Ordinal);
        Assert.Contains("1 key(s) fetched then stay in use", entry.Description, StringComparison.Ordinal);
    }

    /// <summary>
    /// An HTTP/1.1 server on loopback that answers with a JWKS document until <see cref="Hang"/>, then takes every
    /// request without ever answering: a session server that hangs.
    /// </summary>
    private sealed class HangingJwksServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly byte[] _response;
        private readonly List<Task> _connections = [];
        private int _requests;
        private int _hangAfter = int.MaxValue;

        private HangingJwksServer(string document)
        {
            var body = System.Text.Encoding.UTF8.GetBytes(document);
            _response = [.. System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"), .. body];
        }

        public Uri Uri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/.well-known/jwks.json");

        public static HangingJwksServer Start(string document)
        {
            var server = new HangingJwksServer(document);
            server._listener.Start();
            server._connections.Add(server.AcceptAsync());
            return server;
        }

        /// <summary>Answers nothing from now on; returns how many requests were answered.</summary>
        public int Hang()
        {
            var served = Volatile.Read(ref _requests);
            Volatile.Write(ref _hangAfter, served);
            return served;
        }

        public async Task WaitForRequestsAsync(int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Volatile.Read(ref _requests) < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"The JWKS server got {_requests} request(s), not {count}, within 10 s.");
                await Task.Delay(20);
            }
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    lock (_connections)
                    {
                        _connections.Add(ServeAsync(client));
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var buffer = new byte[4096];
                var seen = string.Empty;
                try
                {
                    while (true)
                    {
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        seen += System.Text.Encoding.ASCII.GetString(buffer, 0, read);
                        while (seen.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0)
                        {
                            seen = seen[(end + 4)..];
                            if (Interlocked.Increment(ref _requests) <= Volatile.Read(ref _hangAfter))
                            {
                                await stream.WriteAsync(_response, _stop.Token);
                            }
                        }
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            Task[] connections;
            lock (_connections)
            {
                connections = [.. _connections];
            }

            await Task.WhenAll(connections);
            _stop.Dispose();
        }
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

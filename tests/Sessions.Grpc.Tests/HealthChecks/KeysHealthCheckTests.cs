using System.Net;
using System.Security.Cryptography;
using System.Text;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Jwt;

namespace Sessions.Grpc.Tests.HealthChecks;

/// <summary>
/// <c>sessions-keys</c>, registered by <c>AddSessions()</c> / <c>AddJwtSessions()</c>: Unhealthy on both probes when no
/// key can sign, Healthy otherwise, described by key id and algorithm, never by key material.
/// </summary>
public sealed class KeysHealthCheckTests
{
    private const ServingStatus Serving = ServingStatus.Serving;
    private const ServingStatus NotServing = ServingStatus.NotServing;

    [Fact]
    public async Task A_server_with_its_signing_key_is_healthy_and_the_description_names_the_key_not_the_secret()
    {
        await using var host = await HealthHost.StartAsync(services => services.AddSessions(o => o.Secret = SessionsHost.Secret));

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await host.GetHealthzAsync());
        Assert.Equal(Serving, await host.CheckGrpcAsync());
        var entry = (await host.ReportAsync()).Entries[SessionHealthChecks.KeysName];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Contains("(no kid) (HS256)", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionsHost.Secret, entry.Description, StringComparison.Ordinal);
        Assert.Equal([SessionHealthChecks.ReadyTag, SessionHealthChecks.Tag], entry.Tags.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_key_source_that_holds_no_key_makes_both_probes_fail()
    {
        // A session server does not start without a key that signs; a source of its own can lose its keys later.
        var source = new ChangingKeySource(new SessionKeySet([SessionKey.Symmetric("k1", Encoding.UTF8.GetBytes(SessionsHost.Secret))], "k1"));
        await using var host = await HealthHost.StartAsync(services => services
            .AddSessions().Services
            .AddSessionKeySource(_ => source));
        source.Change(new SessionKeySet([], signingKeyId: null));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await host.GetHealthzAsync());
        Assert.Equal(NotServing, await host.CheckGrpcAsync());
        var entry = (await host.ReportAsync()).Entries[SessionHealthChecks.KeysName];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("holds no key", entry.Description, StringComparison.Ordinal);
        Assert.Contains(nameof(ChangingKeySource), entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_source_with_public_keys_only_cannot_issue_and_is_unhealthy()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicOnly = ECDsa.Create(ec.ExportParameters(includePrivateParameters: false));
        await using var host = await HealthHost.StartAsync(services => services
            .AddJwtSessions(o => o.Secret = SessionsHost.Secret)
            .AddSingleton<ISessionKeySource>(new FixedKeySource(new SessionKeySet([SessionKey.Asymmetric("ec-1", "ES256", publicOnly)], signingKeyId: null))));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await host.GetHealthzAsync());
        Assert.Equal(NotServing, await host.CheckGrpcAsync());
        var entry = (await host.ReportAsync()).Entries[SessionHealthChecks.KeysName];
        Assert.Contains("No session key can sign", entry.Description, StringComparison.Ordinal);
        Assert.Contains("'ec-1' (ES256)", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registering_twice_registers_each_check_once()
    {
        await using var host = await HealthHost.StartAsync(services =>
        {
            services.AddSessions(o => o.Secret = SessionsHost.Secret);
            services.AddSessions();
            services.AddJwtSessions();
            services.AddJwtSessionValidation(keys => keys.JwksUri = new Uri("http://127.0.0.1:9/.well-known/jwks.json"));
            services.AddJwtSessionValidation(keys => keys.JwksUri = new Uri("http://127.0.0.1:9/.well-known/jwks.json"));
        });

        var registrations = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Single(registrations, r => r.Name == SessionHealthChecks.KeysName);
        Assert.Single(registrations, r => r.Name == SessionHealthChecks.JwksName);
        Assert.Equal([SessionHealthChecks.JwksName, SessionHealthChecks.KeysName], (await host.ReportAsync()).Entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_sample_server_reports_the_keys_check_instead_of_a_constant()
    {
        var source = new ChangingKeySource(new SessionKeySet([SessionKey.Symmetric("k1", Encoding.UTF8.GetBytes(SessionsHost.Secret))], "k1"));
        var app = Sessions.SampleServer.Program.Build(["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1"],
            services => services.AddSessionKeySource(_ => source));
        await using var server = await LoopbackServer.StartAsync(app);
        source.Change(new SessionKeySet([], signingKeyId: null));
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses[1]) };

        using var response = await http.GetAsync("/healthz");
        var grpc = await new global::Grpc.Health.V1.Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(NotServing, grpc.Status);
    }
}

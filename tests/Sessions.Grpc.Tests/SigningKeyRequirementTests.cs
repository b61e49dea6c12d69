using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Jwt;

namespace Sessions.Grpc.Tests;

/// <summary>
/// A session server needs a key that can sign: without one it stops at start-up with a line that says so, and a reload
/// never takes it away, so that <c>Create</c> never fails as <c>INTERNAL</c> for it. A service that only validates
/// needs no such key.
/// </summary>
public sealed class SigningKeyRequirementTests
{
    private static readonly ECDsa s_key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly string s_privatePem = s_key.ExportPkcs8PrivateKeyPem();
    private static readonly string s_publicPem = s_key.ExportSubjectPublicKeyInfoPem();

    [Fact]
    public async Task A_session_server_whose_keys_cannot_sign_does_not_start_and_says_how_to_fix_it()
    {
        // Before, it started, and every Create answered INTERNAL ("The key set has no signing key" in the log).
        var builder = SessionsHost.CreateBuilder(new FakeTimeProvider(SessionsHost.Start), new LogCollector());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Sessions:Keys:0:Id"] = "k1",
            ["Auth:Sessions:Keys:0:Algorithm"] = "ES256",
            ["Auth:Sessions:Keys:0:Pem"] = s_publicPem,
        });
        builder.Services.AddSessions(builder.Configuration.GetSection("Auth:Sessions"));
        await using var app = builder.Build();
        app.MapSessions();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        var message = Assert.Single(failure.Failures);
        Assert.StartsWith("No key of Auth:Sessions:Keys can sign, and Auth:Sessions:Secret is not set", message, StringComparison.Ordinal);
        Assert.Contains("private", message, StringComparison.Ordinal);
        Assert.Contains("Auth:Sessions:SigningKeyId", message, StringComparison.Ordinal);
        Assert.DoesNotContain("PUBLIC KEY", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_server_whose_own_key_source_names_no_signing_key_does_not_start_and_says_how_to_fix_it()
    {
        // Before, it started, and every Create answered INTERNAL: the options' check never sees such keys.
        using var publicKey = ECDsa.Create(s_key.ExportParameters(includePrivateParameters: false));
        var builder = SessionsHost.CreateBuilder(new FakeTimeProvider(SessionsHost.Start), new LogCollector());
        builder.Services.AddSessionKeySource(_ => new FixedKeySource(
            new SessionKeySet([SessionKey.Asymmetric("k1", "ES256", publicKey)], signingKeyId: null)));
        builder.Services.AddSessions();
        await using var app = builder.Build();
        app.MapSessions();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.StartsWith($"The ISessionKeySource of this host ({typeof(FixedKeySource).FullName}) gives keys of which none signs", failure.Message, StringComparison.Ordinal);
        Assert.Contains("AddJwtSessionValidation()", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public async Task A_session_server_takes_its_keys_from_its_own_key_source_without_a_secret()
    {
        // Before, a host's own ISessionKeySource could not be used without a Secret, which was then never used:
        // start-up stopped with "Sessions:Secret is not set".
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddSessionKeySource(_ => new FixedKeySource(
                    new SessionKeySet([SessionKey.Asymmetric("vault-1", "ES256", s_key)], signingKeyId: "vault-1")));
                builder.Services.AddSessions();
            },
            app => app.MapSessions());

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        Assert.Equal("vault-1", TestTokens.ReadHeader(created.Token).GetProperty("kid").GetString());
        Assert.Equal("ES256", TestTokens.ReadHeader(created.Token).GetProperty("alg").GetString());
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task A_key_source_added_after_AddSessions_replaces_the_keys_of_the_options()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
                builder.Services.AddSessionKeySource<VaultKeySource>();
            },
            app => app.MapSessions());

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        Assert.Equal(VaultKeySource.KeyId, TestTokens.ReadHeader(created.Token).GetProperty("kid").GetString());
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
        // A token signed with the options' secret (no kid) is not one of this server's.
        using var secretIssuer = new JwtSessionIssuer(new JwtSessionOptions { Secret = SessionsHost.Secret });
        var other = secretIssuer.Issue(TestTokens.UserId).Token;
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.ValidateAsync(new ValidateTokenRequest { Token = other }));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("token key is unknown", refused.Status.Detail);
    }

    [Fact]
    public async Task A_reload_that_leaves_no_key_that_can_sign_is_not_applied_and_Create_goes_on_signing()
    {
        var configuration = new ReloadableConfiguration()
            .Set("Sessions:Keys:0:Id", "k1").Set("Sessions:Keys:0:Algorithm", "ES256").Set("Sessions:Keys:0:Pem", s_privatePem);
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.Sources.Add(configuration);
                builder.Services.AddSessions();
            },
            app => app.MapSessions());

        configuration.Set("Sessions:Keys:0:Pem", s_publicPem);
        Assert.NotNull(Record.Exception(configuration.Reload));   // the options monitor's own, to whoever reloads

        // Before: StatusCode.Internal, "The sessions service failed; see the server log."
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        Assert.Equal("k1", TestTokens.ReadHeader(created.Token).GetProperty("kid").GetString());
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
        var error = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "SettingsNotApplied");
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("No key of Sessions:Keys can sign", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Level >= LogLevel.Error && line.EventId.Name != "SettingsNotApplied");
    }

    [Fact]
    public async Task The_issuer_of_a_host_without_the_session_server_keeps_signing_when_a_reload_leaves_no_key_that_can_sign()
    {
        // AddJwtSessions() alone accepts keys that only validate (see below); an issuer that had a key to sign with
        // keeps it and says why, rather than failing every session it is asked for from then on.
        var configuration = new ReloadableConfiguration()
            .Set("Sessions:Keys:0:Id", "k1").Set("Sessions:Keys:0:Algorithm", "ES256").Set("Sessions:Keys:0:Pem", s_privatePem);
        var logs = new LogCollector();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Add(configuration);
        builder.Logging.ClearProviders().AddProvider(logs);
        var section = builder.Configuration.GetSection(JwtSessionOptions.SectionName);
        builder.Services.AddJwtSessions().Configure<JwtSessionOptions>(section);
        builder.Services.AddSingleton(new SessionsConfigurationPath(typeof(JwtSessionOptions), section.Path));
        using var host = builder.Build();
        await host.StartAsync();
        var issuer = host.Services.GetRequiredService<ISessionIssuer>();

        configuration.Set("Sessions:Keys:0:Pem", s_publicPem).Reload();

        // Before: InvalidOperationException, "The key set has no signing key".
        var issued = await issuer.IssueAsync(TestTokens.UserId);
        Assert.Equal("k1", TestTokens.ReadHeader(issued.Token).GetProperty("kid").GetString());
        Assert.True((await host.Services.GetRequiredService<ISessionValidator>().ValidateAsync(issued.Token)).IsValid);
        var error = Assert.Single(logs.Lines, line => line.EventId.Name == "SigningKeyKept");
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("'k1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sessions:Keys", error.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_service_that_only_validates_starts_with_public_keys_alone()
    {
        var logs = new LogCollector();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:Keys:0:Id"] = "k1",
            ["Sessions:Keys:0:Algorithm"] = "ES256",
            ["Sessions:Keys:0:Pem"] = s_publicPem,
        });
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddJwtSessions().Configure<JwtSessionOptions>(builder.Configuration.GetSection(JwtSessionOptions.SectionName));
        using var host = builder.Build();
        await host.StartAsync();
        var options = new JwtSessionOptions();
        options.Keys.Add(new JwtSessionKeyOptions { Id = "k1", Algorithm = "ES256", Pem = s_privatePem });
        using var signer = new JwtSessionIssuer(options);

        Assert.True((await host.Services.GetRequiredService<ISessionValidator>().ValidateAsync(signer.Issue(TestTokens.UserId).Token)).IsValid);
        Assert.DoesNotContain(logs.Lines, line => line.Level >= LogLevel.Warning);
        await host.StopAsync();
    }

    private sealed class FixedKeySource(SessionKeySet keys) : ISessionKeySource
    {
        public event EventHandler? KeysChanged { add { } remove { } }

        public SessionKeySet GetKeys() => keys;

        public ValueTask<bool> RefreshAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
    }

    private sealed class VaultKeySource : ISessionKeySource, IDisposable
    {
        public const string KeyId = "vault-hs";

        private readonly SessionKeySet _keys = new([SessionKey.Symmetric(KeyId, RandomNumberGenerator.GetBytes(32))], KeyId);

        public event EventHandler? KeysChanged { add { } remove { } }

        public SessionKeySet GetKeys() => _keys;

        public ValueTask<bool> RefreshAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

        public void Dispose()
        {
        }
    }
}

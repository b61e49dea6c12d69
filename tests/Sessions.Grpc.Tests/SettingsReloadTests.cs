using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Sessions.Lifecycle;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// A reload of the configuration to invalid settings is not applied: the calls go on with the last valid ones rather
/// than failing as <c>Internal</c> until the configuration is fixed. (ApiKeyTests covers <c>Sessions:ApiKey</c>.)
/// </summary>
public sealed class SettingsReloadTests
{
    [Fact]
    public async Task A_reload_to_invalid_store_settings_leaves_refresh_revoke_and_validate_working()
    {
        // Store settings a host binds from a section of its own.
        var configuration = new ReloadableConfiguration().Set("Store:RefreshTokenLifetime", "1.00:00:00");
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.Sources.Add(configuration);
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
                builder.Services.Configure<SessionStoreOptions>(builder.Configuration.GetSection("Store"));
            },
            app => app.MapSessions());
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true });

        configuration.Set("Store:RefreshTokenLifetime", "00:00:01");   // below its minute: invalid
        Assert.NotNull(Record.Exception(configuration.Reload));   // the options monitor's own, to whoever reloads

        var refreshed = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken });
        var another = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true });
        var validated = await host.Client.ValidateAsync(new ValidateTokenRequest { Token = refreshed.Token });
        var revoked = await host.Client.RevokeAsync(new RevokeSessionRequest { Token = another.Token });

        Assert.True(validated.Valid);
        Assert.NotEmpty(refreshed.RefreshToken);
        Assert.True(revoked.Revoked);
        // Still the valid lifetime: a day, not a second.
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(another.RefreshExpiresAt) - host.Time.GetUtcNow(), TimeSpan.FromHours(23), TimeSpan.FromHours(25));
    }

    [Fact]
    public async Task A_reload_to_invalid_token_settings_leaves_the_discovery_document_and_the_calls_working_and_an_error_says_so()
    {
        var configuration = new ReloadableConfiguration().Set("Sessions:Secret", SessionsHost.Secret).Set("Sessions:Issuer", "before");
        await using var host = await StartWithSessionsSectionAsync(configuration);
        using var http = new HttpClient { BaseAddress = new Uri(host.Server.Addresses[0]), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        configuration.Set("Sessions:Issuer", "after").Reload();
        Assert.Equal("after", await DiscoveredIssuerAsync(http));

        configuration.Set("Sessions:Lifetime", "00:00:00");
        Assert.NotNull(Record.Exception(configuration.Reload));   // the options monitor's own, to whoever reloads

        Assert.Equal("after", await DiscoveredIssuerAsync(http));
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
        Assert.Equal(TimeSpan.FromDays(1), TimeSpan.FromSeconds(created.ExpiredAt - created.IssuedAt));
        var error = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "SettingsNotApplied");
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("Sessions:Lifetime", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionsHost.Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reload_to_invalid_store_settings_before_the_first_call_leaves_refresh_tokens_working()
    {
        // The lifecycle was built on the first call that needed it: after such a reload it could not be built, and
        // every Create with a refresh token failed as UNKNOWN ("Exception was thrown by handler.").
        var configuration = new ReloadableConfiguration().Set("Sessions:Secret", SessionsHost.Secret);
        await using var host = await StartWithSessionsSectionAsync(configuration);

        configuration.Set("Sessions:Store:RefreshReuseGracePeriod", "00:10:00");   // over its 5 minutes: invalid
        Assert.NotNull(Record.Exception(configuration.Reload));   // the options monitor's own, to whoever reloads

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true });
        var refreshed = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken });
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = refreshed.Token })).Valid);
        var error = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "SettingsNotApplied");
        Assert.Contains("Sessions:Store:RefreshReuseGracePeriod", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reload_that_adds_a_jwk_that_is_not_base64url_is_not_applied_and_an_error_names_the_setting_and_the_key()
    {
        // Before, the decoder's FormatException went to the file watcher alone: no line said the edit was ignored.
        var configuration = new ReloadableConfiguration()
            .Set("Sessions:Keys:0:Id", "k1").Set("Sessions:Keys:0:Secret", SessionsHost.Secret).Set("Sessions:SigningKeyId", "k1");
        await using var host = await StartWithSessionsSectionAsync(configuration);

        configuration.Set("Sessions:Keys:1:Id", "k2").Set("Sessions:Keys:1:Algorithm", "ES256")
            .Set("Sessions:Keys:1:Jwk", """{"kty":"EC","crv":"P-256","x":"ab+c/d==","y":"ab+c/d=="}""").Set("Sessions:SigningKeyId", "k2");
        Assert.NotNull(Record.Exception(configuration.Reload));   // the options monitor's own, to whoever reloads

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        Assert.Equal("k1", TestTokens.ReadHeader(created.Token).GetProperty("kid").GetString());
        var error = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "SettingsNotApplied");
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("Key 'k2' (Sessions:Keys:1:Jwk): a value of the key is not valid base64url", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ab+c", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionsHost.Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reload_that_adds_a_weak_key_names_it_where_the_configuration_holds_it_without_a_parameter_name()
    {
        // Before: "Key 'weak' (Sessions:Keys:0): RS256 needs ... has 1024. (Parameter 'key')": the binder numbers the
        // list anew, and a key written at index 3 alone became item 0.
        var configuration = new ReloadableConfiguration().Set("Sessions:Secret", SessionsHost.Secret);
        await using var host = await StartWithSessionsSectionAsync(configuration);
        using var weak = System.Security.Cryptography.RSA.Create(1024);

        configuration.Set("Sessions:Keys:3:Id", "weak").Set("Sessions:Keys:3:Algorithm", "RS256").Set("Sessions:Keys:3:Pem", weak.ExportPkcs8PrivateKeyPem());
        Assert.NotNull(Record.Exception(configuration.Reload));   // the options monitor's own, to whoever reloads

        var error = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "SettingsNotApplied");
        Assert.Contains("Key 'weak' (Sessions:Keys:3:Pem): RS256 needs an RSA key of at least 2048 bits; key 'weak' has 1024.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reload_that_a_step_of_the_options_fails_with_another_exception_is_logged_without_its_message()
    {
        // Only a validation failure was reported: any other exception of a reload (here a host's own Configure that
        // cannot parse a value) went to the file watcher alone, and nothing said the change was not applied.
        var configuration = new ReloadableConfiguration().Set("Sessions:Secret", SessionsHost.Secret).Set("Tokens:Hours", "8");
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.Sources.Add(configuration);
                builder.Services.AddSessions();
                var hours = builder.Configuration.GetSection("Tokens:Hours");
                // Rebuilt on every reload of the configuration, whose one change token the Sessions section shares.
                builder.Services.Configure<Sessions.Jwt.JwtSessionOptions>(o => o.Lifetime = TimeSpan.FromHours(int.Parse(hours.Value!, System.Globalization.CultureInfo.InvariantCulture)));
            },
            app => app.MapSessions());

        configuration.Set("Tokens:Hours", "eight-not-logged");
        Assert.NotNull(Record.Exception(configuration.Reload));   // the options monitor's own, to whoever reloads

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        Assert.Equal(TimeSpan.FromHours(8), TimeSpan.FromSeconds(created.ExpiredAt - created.IssuedAt));
        var error = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "SettingsNotApplied" && line.Category.StartsWith("Sessions.Jwt", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("building JwtSessionOptions from the reloaded configuration failed with FormatException", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eight-not-logged", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sessions:Lifetime", "24h", "Sessions:Lifetime '24h' is not a valid duration", "1.00:00:00")]
    [InlineData("Sessions:Store:RefreshReuseGracePeriod", "10s", "Sessions:Store:RefreshReuseGracePeriod '10s' is not a valid duration", "00:00:30")]
    [InlineData("Sessions:Lifetime", "24", "Sessions:Lifetime '24' is a number without a unit, which would be read as days", "01:00:00")]
    [InlineData("Sessions:Store:RefreshReuseGracePeriod", "10", "Sessions:Store:RefreshReuseGracePeriod '10' is a number without a unit", "00:00:30")]
    [InlineData("Sessions:AnonymousCreate", "yes", "Sessions:AnonymousCreate 'yes' is not a valid boolean", "true or false")]
    [InlineData("Sessions:Store:UnavailableBehavior", "Allow", "Sessions:Store:UnavailableBehavior 'Allow' is not one of", "Reject, AllowSignatureOnly")]
    public async Task A_reload_to_a_value_of_the_wrong_type_is_not_applied_and_an_error_says_how_to_write_it(string setting, string value, string names, string fix)
    {
        // Before, the configuration binder's exception went to the file watcher alone: nothing said the edit was ignored.
        var configuration = new ReloadableConfiguration().Set("Sessions:Secret", SessionsHost.Secret);
        await using var host = await StartWithSessionsSectionAsync(configuration);

        configuration.Set(setting, value);
        Assert.NotNull(Record.Exception(configuration.Reload));   // the options monitor's own, to whoever reloads

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true });
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
        Assert.Equal(TimeSpan.FromDays(1), TimeSpan.FromSeconds(created.ExpiredAt - created.IssuedAt));
        var error = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "SettingsNotApplied");
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains(names, error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_store_settings_of_the_Sessions_section_reload_and_an_invalid_reload_is_logged_and_not_applied()
    {
        var configuration = new ReloadableConfiguration().Set("Sessions:Secret", SessionsHost.Secret).Set("Sessions:Store:MaxChainsPerSubject", "1");
        await using var host = await StartWithSessionsSectionAsync(configuration);
        var create = new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true };
        await host.Client.CreateAsync(create);

        configuration.Set("Sessions:Store:MaxChainsPerSubject", "2").Reload();
        await host.Client.CreateAsync(create);

        configuration.Set("Sessions:Store:MaxChainsPerSubject", "0");
        Assert.NotNull(Record.Exception(configuration.Reload));
        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(create).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);   // still 2: not 0, not the start's 1
        Assert.Contains("2 live refresh chains", refused.Status.Detail, StringComparison.Ordinal);
        var error = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "SettingsNotApplied");
        Assert.Contains("Sessions:Store:MaxChainsPerSubject", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_with_AddJwtSessions_alone_builds_its_validator_as_it_starts_and_keeps_it_through_a_reload_to_invalid_settings()
    {
        // No gRPC, no authentication: a worker that validates tokens itself, its options bound from a reloading section.
        var configuration = new ReloadableConfiguration().Set("Sessions:Secret", SessionsHost.Secret);
        var logs = new LogCollector();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Add(configuration);
        builder.Logging.ClearProviders().AddProvider(logs);
        var section = builder.Configuration.GetSection(Sessions.Jwt.JwtSessionOptions.SectionName);
        builder.Services.AddJwtSessions().Configure<Sessions.Jwt.JwtSessionOptions>(section);
        // As docs/configuration.md tells a host that binds the options itself: without it the lines name the settings
        // as code writes them (JwtSessionOptions.Lifetime).
        builder.Services.AddSingleton(new SessionsConfigurationPath(typeof(Sessions.Jwt.JwtSessionOptions), section.Path));
        using var host = builder.Build();
        await host.StartAsync();

        configuration.Set("Sessions:Lifetime", "00:00:00");
        Assert.NotNull(Record.Exception(configuration.Reload));   // the options monitor's own, to whoever reloads

        using var issuer = new Sessions.Jwt.JwtSessionIssuer(new Sessions.Jwt.JwtSessionOptions { Secret = SessionsHost.Secret });
        var validator = host.Services.GetRequiredService<ISessionValidator>();
        Assert.True((await validator.ValidateAsync(issuer.Issue(TestTokens.UserId).Token)).IsValid);
        AssertOneLineSaysWhyNotApplied(logs, "Sessions:Lifetime is 00:00:00");
        await host.StopAsync();
    }

    [Fact]
    public async Task A_service_that_validates_with_a_JWKS_says_why_a_reload_of_its_token_settings_was_not_applied()
    {
        var configuration = new ReloadableConfiguration().Set("Tokens:Issuer", "before");
        var logs = new LogCollector();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Add(configuration);
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services
            .AddJwtSessionValidation(keys => keys.JwksUri = new Uri("http://127.0.0.1:9/.well-known/jwks.json"))
            .Configure<Sessions.Jwt.JwtSessionOptions>(builder.Configuration.GetSection("Tokens"))
            .AddSingleton(new SessionsConfigurationPath(typeof(Sessions.Jwt.JwtSessionOptions), "Tokens"));
        using var host = builder.Build();
        await host.StartAsync();

        configuration.Set("Tokens:ClockSkew", "01:00:00").Set("Tokens:Lifetime", "00:00:00");
        Assert.NotNull(Record.Exception(configuration.Reload));

        AssertOneLineSaysWhyNotApplied(logs, "Tokens:ClockSkew is 01:00:00");
        AssertOneLineSaysWhyNotApplied(logs, "Tokens:Lifetime is 00:00:00");
        // Each problem is a sentence of its own; they were joined with "; " after their full stops (".;").
        Assert.DoesNotContain(".;", Assert.Single(logs.Lines, line => line.EventId.Name == "SettingsNotApplied").Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), host.Services.GetRequiredService<ISessionValidator>().ClockSkew);
        await host.StopAsync();
    }

    private static void AssertOneLineSaysWhyNotApplied(LogCollector logs, string setting)
    {
        var error = Assert.Single(logs.Lines, line => line.EventId.Name == "SettingsNotApplied");
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionsHost.Secret, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A host whose settings are all in the reloadable <c>Sessions</c> section of <paramref name="configuration"/>.</summary>
    private static Task<TestHost> StartWithSessionsSectionAsync(ReloadableConfiguration configuration) => SessionsHost.StartAsync(
        builder =>
        {
            builder.Configuration.Sources.Add(configuration);
            builder.Services.AddSessions();
        },
        app => app.MapSessions());

    private static async Task<string?> DiscoveredIssuerAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri(SessionsWellKnownPaths.OpenIdConfiguration, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("issuer").GetString();
    }
}

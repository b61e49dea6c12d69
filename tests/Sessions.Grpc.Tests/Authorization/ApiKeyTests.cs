using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Authorization;

/// <summary>
/// <c>Sessions:ApiKey</c> (<c>AddSessions().RequireApiKey(...)</c>): the key the service edge checks itself for the
/// privileged calls, without ASP.NET Core's authentication and authorization. PrivilegedCallsTests runs the refusals
/// and the calls made with it beside the scheme behind a policy; these are what only the service's own key does.
/// </summary>
public sealed class ApiKeyTests
{
    private const string ApiKey = "an-api-key-for-tests-that-is-32-bytes-or-more";
    private const string OtherKey = "another-api-key-for-tests-32-bytes-or-more";

    private static Metadata Key(string key) => new() { { SessionsApiKeyDefaults.MetadataKey, key } };

    private static CreateRequest Create() => new() { UserId = TestTokens.UserId };

    /// <summary>The sessions service with its settings from <paramref name="configuration"/>, which the test reloads.</summary>
    private static Task<TestHost> StartReloadableAsync(ReloadableConfiguration configuration, bool debugGate = false) => SessionsHost.StartAsync(
        builder =>
        {
            builder.Configuration.Sources.Add(configuration);
            if (debugGate)
            {
                builder.Logging.AddFilter("Sessions.Grpc.Internal.Privileged.PrivilegedCallGate", LogLevel.Debug);
            }

            builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
        },
        app => app.MapSessions());

    [Fact]
    public async Task The_key_in_configuration_protects_the_privileged_calls_with_no_code()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:ApiKey"] = ApiKey });
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
            },
            app => app.MapSessions());

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(Create()).ResponseAsync);
        var created = await host.Client.CreateAsync(Create(), Key(ApiKey));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal("Create is a privileged call and needs credentials: the x-api-key header (gRPC metadata).", refused.Status.Detail);
        Assert.NotEmpty(created.Token);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Level == LogLevel.Warning && line.Message.Contains("privileged calls", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_key_is_used_from_the_next_call_and_the_old_one_is_refused()
    {
        var configuration = new ReloadableConfiguration().Set("Sessions:ApiKey", ApiKey);
        await using var host = await StartReloadableAsync(configuration);
        Assert.NotEmpty((await host.Client.CreateAsync(Create(), Key(ApiKey))).Token);

        configuration.Set("Sessions:ApiKey", OtherKey).Reload();

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(Create(), Key(ApiKey)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.NotEmpty((await host.Client.CreateAsync(Create(), Key(OtherKey))).Token);
    }

    [Fact]
    public async Task A_reload_to_a_key_that_is_too_short_is_not_applied_and_an_error_says_so()
    {
        var configuration = new ReloadableConfiguration().Set("Sessions:ApiKey", ApiKey);
        await using var host = await StartReloadableAsync(configuration);

        configuration.Set("Sessions:ApiKey", "short-key");
        // Microsoft.Extensions.Options' own monitor throws into whoever raised the reload (a file watcher's task).
        var monitor = Record.Exception(configuration.Reload);

        // Every call goes on with the last valid settings instead of failing as Internal.
        var created = await host.Client.CreateAsync(Create(), Key(ApiKey));
        var validated = await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });
        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(Create(), Key("short-key")).ResponseAsync);
        Assert.True(validated.Valid);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.IsType<OptionsValidationException>(Assert.Single(Assert.IsType<AggregateException>(monitor).Flatten().InnerExceptions));
        var error = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "SettingsNotApplied");
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("Sessions:ApiKey is 9 bytes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-key", error.Message, StringComparison.Ordinal);

        // A valid one later is applied.
        configuration.Set("Sessions:ApiKey", OtherKey).Reload();
        Assert.NotEmpty((await host.Client.CreateAsync(Create(), Key(OtherKey))).Token);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(Create(), Key(ApiKey)).ResponseAsync)).StatusCode);
    }

    [Fact]
    public async Task A_key_is_rotated_without_a_refused_call_through_PreviousApiKey_and_the_callers_still_on_it_are_logged()
    {
        const string NewKey = "the-new-api-key-for-tests-that-is-32-bytes-or-more";
        var configuration = new ReloadableConfiguration().Set("Sessions:ApiKey", ApiKey);
        await using var host = await StartReloadableAsync(configuration, debugGate: true);

        // The new key becomes ApiKey, the old one PreviousApiKey: both work while the callers move.
        configuration.Set("Sessions:ApiKey", NewKey).Set("Sessions:PreviousApiKey", ApiKey).Reload();
        Assert.NotEmpty((await host.Client.CreateAsync(Create(), Key(ApiKey))).Token);
        Assert.NotEmpty((await host.Client.CreateAsync(Create(), Key(NewKey))).Token);
        var other = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(Create(), Key(OtherKey)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        var line = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "PrivilegedCallWithPreviousApiKey");
        Assert.StartsWith("Sessions.Create from ipv4:127.0.0.1:", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Message.Contains(ApiKey, StringComparison.Ordinal) || line.Message.Contains(NewKey, StringComparison.Ordinal));

        // Then the previous key goes.
        configuration.Set("Sessions:PreviousApiKey", null).Reload();
        var retired = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(Create(), Key(ApiKey)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, retired.StatusCode);
        Assert.NotEmpty((await host.Client.CreateAsync(Create(), Key(NewKey))).Token);
    }

    [Theory]
    [InlineData(null, "an-api-key-for-tests-that-is-32-bytes-or-more", "Sessions:PreviousApiKey is set but Sessions:ApiKey is not: the previous key is accepted beside the current one while callers move to it; set Sessions:ApiKey to the new key.")]
    [InlineData("the-new-api-key-for-tests-that-is-32-bytes-or-more", "short-key", "Sessions:PreviousApiKey is 9 bytes; a key needs at least 32 bytes: set it to the key callers used before, or remove the setting.")]
    public async Task A_previous_key_without_a_key_or_too_short_stops_start_up(string? key, string previous, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:ApiKey"] = key, ["Sessions:PreviousApiKey"] = previous });
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
            },
            app => app.MapSessions()));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(ApiKey, ApiKey)]
    [InlineData(ApiKey, OtherKey)]
    [InlineData(OtherKey, ApiKey)]
    [InlineData(ApiKey + ", " + ApiKey, null)]
    public async Task The_metadata_sent_twice_is_refused_as_malformed_and_told_to_send_it_once_whatever_the_values(string first, string? second)
    {
        await using var host = await SessionsHost.StartAsync(
            builder => builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret).RequireApiKey(ApiKey),
            app => app.MapSessions());

        var headers = new Metadata { { SessionsApiKeyDefaults.MetadataKey, first } };
        if (second is not null)
        {
            headers.Add(SessionsApiKeyDefaults.MetadataKey, second);
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(Create(), headers).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal("Create is a privileged call and the x-api-key header (gRPC metadata) was sent more than once: send it once, with the key.", refused.Status.Detail);
        Assert.DoesNotContain(ApiKey, refused.Status.Detail, StringComparison.Ordinal);
        Assert.NotEmpty((await host.Client.CreateAsync(Create(), Key(ApiKey))).Token);
    }

    [Fact]
    public async Task The_key_and_a_policy_are_alternatives_and_a_wrong_key_is_refused_whatever_else_is_sent()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddAuthentication().AddSessionBearer();
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret)
                    .RequireApiKey(ApiKey)
                    .RequirePrivilegedPolicy(policy => policy.AddAuthenticationSchemes(SessionAuthenticationDefaults.AuthenticationScheme).RequireRole("admin"));
            },
            app => app.MapSessions());
        var issuer = host.Server.App.Services.GetRequiredService<ISessionIssuer>();
        var admin = (await issuer.IssueAsync(Guid.NewGuid().ToString(), new SessionClaims { ["role"] = "admin" })).Token;
        var request = new RevokeUserSessionsRequest { UserId = TestTokens.UserId };

        var byKey = await host.Client.RevokeAllAsync(request, Key(ApiKey));
        var byPolicy = await host.Client.RevokeAllAsync(request, Bearer(admin));
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => host.Client.RevokeAllAsync(request).ResponseAsync);
        var wrongKey = await Assert.ThrowsAsync<RpcException>(() => host.Client.RevokeAllAsync(request, Bearer(admin, OtherKey)).ResponseAsync);

        Assert.True(byKey.Revoked);
        Assert.True(byPolicy.Revoked);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal("RevokeAll is a privileged call and needs credentials: the x-api-key header (gRPC metadata) or Sessions.", anonymous.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, wrongKey.StatusCode);
        Assert.Equal("RevokeAll is a privileged call and the credentials sent were refused: the x-api-key header (gRPC metadata).", wrongKey.Status.Detail);

        static Metadata Bearer(string token, string? key = null)
        {
            var headers = new Metadata { { "authorization", "Bearer " + token } };
            if (key is not null)
            {
                headers.Add(SessionsApiKeyDefaults.MetadataKey, key);
            }

            return headers;
        }
    }

    [Fact]
    public async Task Hooks_of_a_derived_service_see_the_caller_the_key_authenticated()
    {
        await using var host = await SessionsHost.StartAsync(
            builder => builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret)
                .AddService<CallerEchoingService>()
                .RequireApiKey(ApiKey),
            app => app.MapSessions<CallerEchoingService>());

        var call = host.Client.CreateAsync(Create(), Key(ApiKey));
        await call.ResponseAsync;

        var headers = await call.ResponseHeadersAsync;
        Assert.Equal("SessionsApiKey/SessionsApiKey", headers.GetValue(CallerEchoingService.Header));
    }

    [Fact]
    public async Task AnonymousCreate_opens_Create_and_the_key_still_guards_the_others()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:AnonymousCreate"] = "true" });
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret).RequireApiKey(ApiKey);
            },
            app => app.MapSessions());
        var request = new RevokeUserSessionsRequest { UserId = TestTokens.UserId };

        Assert.NotEmpty((await host.Client.CreateAsync(Create())).Token);
        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.RevokeAllAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.True((await host.Client.RevokeAllAsync(request, Key(ApiKey))).Revoked);
    }

    [Theory]
    [InlineData(null, null, "Sessions:ApiKey is not set and AddSessions().RequireApiKey(...) needs it: make one with 'openssl rand -base64 32' and set it (Sessions__ApiKey in the environment, or pass it to RequireApiKey(key)).")]
    [InlineData("short-key", null, "Sessions:ApiKey is 9 bytes; a key needs at least 32 bytes: make one with 'openssl rand -base64 32'.")]
    [InlineData(null, "short-key", "Sessions:ApiKey is 9 bytes; a key needs at least 32 bytes: make one with 'openssl rand -base64 32', or remove the setting.")]
    [InlineData(null, "", "Sessions:ApiKey is empty; a key needs at least 32 bytes: make one with 'openssl rand -base64 32', or remove the setting.")]
    public async Task A_missing_or_short_key_stops_start_up_naming_the_setting_without_echoing_the_key(string? inCode, string? inConfiguration, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SessionsHost.StartAsync(
            builder =>
            {
                if (inConfiguration is not null)
                {
                    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:ApiKey"] = inConfiguration });
                }

                var sessions = builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
                if (inConfiguration is null)
                {
                    _ = inCode is null ? sessions.RequireApiKey() : sessions.RequireApiKey(inCode);
                }
            },
            app => app.MapSessions()));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("Sessions:ApiKey", ApiKey + "\n", "Sessions:ApiKey has a line break (U+000A) at index 45 of its 46 characters")]
    [InlineData("Sessions:ApiKey", ApiKey + "\r\n", "Sessions:ApiKey has a line break (U+000D) at index 45 of its 47 characters")]
    [InlineData("Sessions:ApiKey", " " + ApiKey, "Sessions:ApiKey has whitespace at its start (U+0020) at index 0 of its 46 characters")]
    [InlineData("Sessions:ApiKey", ApiKey + "\t", "Sessions:ApiKey has whitespace at its end (U+0009) at index 45 of its 46 characters")]
    [InlineData("Sessions:ApiKey", "an-api-key\0for-tests-that-is-32-bytes-or-more", "Sessions:ApiKey has a control character (U+0000) at index 10 of its 45 characters")]
    [InlineData("Sessions:PreviousApiKey", OtherKey + "\n", "Sessions:PreviousApiKey has a line break (U+000A) at index 42 of its 43 characters")]
    public async Task A_key_no_caller_can_send_in_the_header_stops_start_up_saying_what_to_remove(string setting, string key, string message)
    {
        // Before, the host started with it: no call could carry the key as it is (HTTP/2 refuses a line break in a header
        // value, and the caller's call failed with "PROTOCOL_ERROR"; HTTP/1.1 drops whitespace at either end), so every
        // privileged call was refused, whatever the callers sent.
        var settings = new Dictionary<string, string?> { ["Sessions:ApiKey"] = ApiKey, [setting] = key };
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
            },
            app => app.MapSessions()));

        Assert.Equal(message + ", which an x-api-key header cannot carry as it is, so that no caller could send the key: " +
            "remove it (a key read from a file often ends with a line break).", error.Message);
        Assert.DoesNotContain(key.Trim(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireApiKey_given_a_variable_that_is_not_set_stops_start_up_with_the_same_line()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SessionsHost.StartAsync(
            builder => builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret)
                .RequireApiKey(builder.Configuration["SESSIONS_API_KEY_THAT_IS_NOT_SET"]),
            app => app.MapSessions()));

        Assert.StartsWith("Sessions:ApiKey is not set and AddSessions().RequireApiKey(...) needs it", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Sends back, as a response header, who <c>HttpContext.User</c> says made the call.</summary>
    public sealed class CallerEchoingService(ISessionIssuer issuer, ISessionValidator validator, TimeProvider time, ILogger<SessionsService> logger, SessionsTelemetry telemetry)
        : SessionsService(issuer, validator, time, logger, telemetry)
    {
        public const string Header = "x-caller";

        protected override async ValueTask OnCreatingAsync(CreateRequest request, ServerCallContext context)
        {
            var identity = context.GetHttpContext().User.Identity;
            var caller = identity is { IsAuthenticated: true } ? $"{identity.AuthenticationType}/{identity.Name}" : "anonymous";
            await context.WriteResponseHeadersAsync(new Metadata { { Header, caller } });
        }
    }
}

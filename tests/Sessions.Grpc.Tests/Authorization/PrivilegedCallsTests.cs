using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sessions.Grpc.Internal.Privileged;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Authorization;

/// <summary>
/// Create (for any user), Revoke by session_id and RevokeAll are privileged: behind the host's authorization policy
/// when one is set. Validate, GetKeys, Refresh and Revoke by token stay open to whoever holds the token.
/// </summary>
public sealed class PrivilegedCallsTests
{
    private const string ApiKey = "an-api-key-for-tests-that-is-32-bytes-or-more";

    public static TheoryData<string> PrivilegedCalls => ["Create", "Revoke by session_id", "RevokeAll", "ListSessions"];

    /// <summary>The two ways to protect the calls with a key: the service's own check, and the scheme behind a policy.</summary>
    public static TheoryData<string> Protections => [ServiceKey, SchemeAndPolicy];

    public static TheoryData<string, string> PrivilegedCallsByProtection
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var call in PrivilegedCalls)
            {
                foreach (var protection in Protections)
                {
                    data.Add(call, protection);
                }
            }

            return data;
        }
    }

    /// <summary><c>AddSessions().RequireApiKey(key)</c>: no authentication or authorization services at all.</summary>
    private const string ServiceKey = "RequireApiKey";

    /// <summary><c>AddSessionsApiKey(...)</c> and a policy that authenticates with it.</summary>
    private const string SchemeAndPolicy = "AddSessionsApiKey";

    private static Task<TestHost> StartWithApiKeyAsync(string protection = SchemeAndPolicy) => SessionsHost.StartAsync(
        builder =>
        {
            // What decided a refusal is logged at Debug, beside the call's one line at Information.
            builder.Logging.AddFilter("Sessions.Grpc.Internal.Privileged", LogLevel.Debug);
            if (protection == ServiceKey)
            {
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret).RequireApiKey(ApiKey);
                return;
            }

            builder.Services.AddAuthentication().AddSessionsApiKey(o => o.Key = ApiKey);
            builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret)
                .RequirePrivilegedPolicy(policy => policy.AddAuthenticationSchemes(SessionsApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser());
        },
        app => app.MapSessions());

    private static Metadata Key(string key) => new() { { SessionsApiKeyDefaults.MetadataKey, key } };

    private static async Task<TokenReply> CreateAsync(TestHost host, bool withRefreshToken = false) =>
        await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = withRefreshToken }, Key(ApiKey));

    /// <summary>Makes the privileged call <paramref name="call"/> with <paramref name="headers"/>, on a session made for it.</summary>
    private static async Task CallAsync(TestHost host, string call, Metadata? headers)
    {
        switch (call)
        {
            case "Create":
                await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, headers);
                break;
            case "Revoke by session_id":
                var created = await CreateAsync(host);
                await host.Client.RevokeAsync(new RevokeSessionRequest { SessionId = created.SessionId }, headers);
                break;
            case "ListSessions":
                await host.Client.ListSessionsAsync(new ListSessionsRequest { UserId = TestTokens.UserId }, headers);
                break;
            default:
                await host.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = TestTokens.UserId }, headers);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(PrivilegedCallsByProtection))]
    public async Task A_privileged_call_without_credentials_is_Unauthenticated_and_names_what_is_missing(string call, string protection)
    {
        await using var host = await StartWithApiKeyAsync(protection);

        var refused = await Assert.ThrowsAsync<RpcException>(() => CallAsync(host, call, headers: null));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal($"{call} is a privileged call and needs credentials: the x-api-key header (gRPC metadata).", refused.Status.Detail);
    }

    [Theory]
    [MemberData(nameof(PrivilegedCallsByProtection))]
    public async Task A_privileged_call_with_an_empty_key_is_answered_as_one_without_credentials(string call, string protection)
    {
        // An empty x-api-key (a client whose key variable is unset, sending the header anyway) carries no credential:
        // PermissionDenied would tell its operator the key is wrong, when it is missing.
        await using var host = await StartWithApiKeyAsync(protection);

        foreach (var empty in new[] { string.Empty, " ", "\t \t" })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => CallAsync(host, call, Key(empty)));

            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
            Assert.Equal($"{call} is a privileged call and needs credentials: the x-api-key header (gRPC metadata).", refused.Status.Detail);
        }
    }

    [Theory]
    [MemberData(nameof(PrivilegedCallsByProtection))]
    public async Task A_privileged_call_with_a_wrong_key_is_PermissionDenied_without_echoing_it(string call, string protection)
    {
        await using var host = await StartWithApiKeyAsync(protection);
        const string wrong = "a-wrong-api-key-that-is-also-32-bytes-or-more";

        var refused = await Assert.ThrowsAsync<RpcException>(() => CallAsync(host, call, Key(wrong)));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal($"{call} is a privileged call and the credentials sent were refused: the x-api-key header (gRPC metadata).", refused.Status.Detail);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Message.Contains(wrong, StringComparison.Ordinal) || line.Message.Contains(ApiKey, StringComparison.Ordinal));
        var refusal = Assert.Single(host.Logs.Lines, line => line.EventId.Name?.StartsWith("PrivilegedCallRefused", StringComparison.Ordinal) ?? false);
        Assert.Contains(call, refusal.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Debug, refusal.Level);
        Assert.Single(host.Logs.Lines, line => line.Level >= LogLevel.Information && line.Category.StartsWith("Sessions", StringComparison.Ordinal) && line.Message.Contains("permission_denied", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PrivilegedCallsByProtection))]
    public async Task A_privileged_call_with_the_key_is_made(string call, string protection)
    {
        await using var host = await StartWithApiKeyAsync(protection);

        await CallAsync(host, call, Key(ApiKey));

        Assert.DoesNotContain(host.Logs.Lines, line => line.Message.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RevokeAll_with_the_key_ends_the_sessions_it_covers()
    {
        await using var host = await StartWithApiKeyAsync();
        var created = await CreateAsync(host);

        await host.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = TestTokens.UserId }, Key(ApiKey));

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token }).ResponseAsync);
        Assert.Equal("token is revoked", refused.Status.Detail);
    }

    [Fact]
    public async Task Validate_GetKeys_Refresh_and_Revoke_by_token_need_no_credentials()
    {
        await using var host = await StartWithApiKeyAsync();
        var created = await CreateAsync(host, withRefreshToken: true);

        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
        Assert.NotNull(await host.Client.GetKeysAsync(new GetKeysRequest()));
        var refreshed = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken });
        Assert.True((await host.Client.RevokeAsync(new RevokeSessionRequest { Token = refreshed.Token })).Revoked);
    }

    [Fact]
    public async Task A_revoke_without_target_is_not_privileged_and_is_refused_as_invalid()
    {
        await using var host = await StartWithApiKeyAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.RevokeAsync(new RevokeSessionRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
    }

    [Fact]
    public async Task A_policy_on_session_tokens_refuses_an_authenticated_caller_without_the_role_as_PermissionDenied()
    {
        // A host protects the administrative calls with the authentication it already has: here, sessions with a role.
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddAuthentication().AddSessionBearer();
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret)
                    .RequirePrivilegedPolicy(policy => policy.AddAuthenticationSchemes(SessionAuthenticationDefaults.AuthenticationScheme).RequireRole("admin"));
            },
            app => app.MapSessions());
        var issuer = host.Server.App.Services.GetRequiredService<ISessionIssuer>();
        var admin = (await issuer.IssueAsync(Guid.NewGuid().ToString(), new SessionClaims { ["role"] = "admin" })).Token;
        var user = (await issuer.IssueAsync(TestTokens.UserId)).Token;
        var request = new RevokeUserSessionsRequest { UserId = TestTokens.UserId };

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.RevokeAllAsync(request, Bearer(user)).ResponseAsync);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => host.Client.RevokeAllAsync(request).ResponseAsync);
        var revoked = await host.Client.RevokeAllAsync(request, Bearer(admin));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.StartsWith("RevokeAll is a privileged call and the caller does not satisfy the authorization policy 'SessionsPrivileged'.", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal("RevokeAll is a privileged call and needs credentials: Sessions.", anonymous.Status.Detail);
        Assert.True(revoked.Revoked);

        static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };
    }

    [Fact]
    public async Task A_requirement_that_refuses_with_a_reason_is_PermissionDenied_with_that_reason_even_without_credentials()
    {
        await using var host = await SessionsHost.StartAsync(
            builder => builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret)
                .RequirePrivilegedPolicy(policy => policy.AddRequirements(new ClosedRequirement("administrative calls are switched off here."))),
            app => app.MapSessions());

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = TestTokens.UserId }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal("RevokeAll is a privileged call and is refused: administrative calls are switched off here.", refused.Status.Detail);
    }

    [Fact]
    public async Task A_derived_service_mapped_with_AddService_is_protected_too()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddAuthentication().AddSessionsApiKey(o => o.Key = ApiKey);
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret)
                    .AddService<HostingTests.AuditedSessionsService>()
                    .RequirePrivilegedPolicy(policy => policy.AddAuthenticationSchemes(SessionsApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser());
            },
            app => app.MapSessions<HostingTests.AuditedSessionsService>());

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }).ResponseAsync);
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, Key(ApiKey));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.NotEmpty(created.Token);
    }

    [Theory]
    [InlineData(null, "unauthenticated", ServiceKey)]
    [InlineData("a-wrong-api-key-that-is-also-32-bytes-or-more", "permission_denied", ServiceKey)]
    [InlineData(null, "unauthenticated", SchemeAndPolicy)]
    [InlineData("a-wrong-api-key-that-is-also-32-bytes-or-more", "permission_denied", SchemeAndPolicy)]
    public async Task A_refused_privileged_call_gets_its_one_call_line_with_the_refusal_as_outcome(string? key, string outcome, string protection)
    {
        await using var host = await StartWithApiKeyAsync(protection);

        await Assert.ThrowsAsync<RpcException>(() => CallAsync(host, "Create", key is null ? null : Key(key)));

        var line = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "CallCompleted");
        Assert.StartsWith($"Sessions.Create {outcome} ", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_the_host_builds_with_its_public_constructor_is_protected_too()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                // Registered before AddSessions(), so that AddSessions() keeps it instead of its own.
                builder.Services.AddSingleton(provider => new SessionsService(
                    provider.GetRequiredService<ISessionIssuer>(),
                    provider.GetRequiredService<ISessionValidator>(),
                    TimeProvider.System,
                    provider.GetRequiredService<ILogger<SessionsService>>(),
                    provider.GetRequiredService<SessionsTelemetry>()));
                builder.Services.AddAuthentication().AddSessionsApiKey(o => o.Key = ApiKey);
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret)
                    .RequirePrivilegedPolicy(policy => policy.AddAuthenticationSchemes(SessionsApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser());
            },
            app => app.MapSessions());

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }).ResponseAsync);
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, Key(ApiKey));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.NotEmpty(created.Token);
    }

    [Fact]
    public async Task The_policy_can_be_named_in_configuration()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:PrivilegedPolicy"] = "operators" });
                builder.Services.AddAuthentication().AddSessionsApiKey(o => o.Key = ApiKey);
                builder.Services.AddAuthorization(o => o.AddPolicy("operators", policy => policy.AddAuthenticationSchemes(SessionsApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser()));
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
            },
            app => app.MapSessions());

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.NotEmpty((await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, Key(ApiKey))).Token);
    }

    [Theory]
    [InlineData("Revoke by session_id")]
    [InlineData("RevokeAll")]
    [InlineData("ListSessions")]
    public async Task AnonymousCreate_opens_Create_only_and_the_other_privileged_calls_keep_the_policy(string call)
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:AnonymousCreate"] = "true" });
                builder.Services.AddAuthentication().AddSessionsApiKey(o => o.Key = ApiKey);
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret)
                    .RequirePrivilegedPolicy(policy => policy.AddAuthenticationSchemes(SessionsApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser());
            },
            app => app.MapSessions());

        Assert.NotEmpty((await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId })).Token);
        var refused = await Assert.ThrowsAsync<RpcException>(() => CallAsync(host, call, headers: null));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        await CallAsync(host, call, Key(ApiKey));
    }

    [Fact]
    public async Task Without_a_policy_the_calls_stay_open_and_a_warning_says_so_at_start()
    {
        await using var host = await SessionsHost.StartAsync();

        await CallAsync(host, "RevokeAll", headers: null);

        var warning = Assert.Single(host.Logs.Lines, line => line.Level == LogLevel.Warning && line.Message.Contains("privileged calls", StringComparison.Ordinal));
        Assert.Contains("open to anyone who can reach it", warning.Message, StringComparison.Ordinal);
        Assert.Contains("RequirePrivilegedPolicy", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "Sessions:PrivilegedPolicy 'missing' is not an authorization policy: add it with builder.Services.AddAuthorization(o => o.AddPolicy(\"missing\", ...)).")]
    [InlineData("unknown-scheme", "The authorization policy 'unknown-scheme' of Sessions:PrivilegedPolicy authenticates with the scheme 'Nowhere', which is not registered")]
    public async Task A_policy_or_scheme_that_does_not_exist_stops_start_up(string policy, string message)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddAuthentication();
                builder.Services.AddAuthorization(o => o.AddPolicy("unknown-scheme", p => p.AddAuthenticationSchemes("Nowhere").RequireAuthenticatedUser()));
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret).RequirePrivilegedPolicy(policy);
            },
            app => app.MapSessions()));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "has no key")]
    [InlineData("too-short-api-key", "has a key of 17 bytes")]
    public async Task An_api_key_scheme_without_a_32_byte_key_stops_start_up_without_echoing_it(string? key, string state)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddAuthentication().AddSessionsApiKey(o => o.Key = key);
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
            },
            app => app.MapSessions()));

        Assert.Contains($"The API-key authentication scheme 'SessionsApiKey' {state}: its Key (AddSessionsApiKey(o => o.Key = ...)) needs at least 32 bytes; make one with 'openssl rand -base64 32'.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short-api-key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_key_scheme_rotates_through_PreviousKey_and_the_callers_still_on_it_are_logged()
    {
        const string NewKey = "the-new-api-key-for-tests-that-is-32-bytes-or-more";
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Logging.AddFilter("Sessions.Grpc.Internal.Privileged.ApiKeyAuthenticationHandler", LogLevel.Debug);
                builder.Services.AddAuthentication().AddSessionsApiKey(o => (o.Key, o.PreviousKey) = (NewKey, ApiKey));
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret)
                    .RequirePrivilegedPolicy(policy => policy.AddAuthenticationSchemes(SessionsApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser());
            },
            app => app.MapSessions());

        await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, Key(NewKey));
        Assert.DoesNotContain(host.Logs.Lines, line => line.EventId.Name == "ApiKeySchemePreviousKeyUsed");
        await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, Key(ApiKey));
        var other = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, Key(ApiKey + "x")).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        var used = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "ApiKeySchemePreviousKeyUsed");
        Assert.Equal(LogLevel.Debug, used.Level);
        Assert.Contains("127.0.0.1", used.Message, StringComparison.Ordinal);
        Assert.Contains("/sessions.Sessions/Create", used.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, used.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "has a Key with a line break (U+000A) at index 47 of its 48 characters")]
    [InlineData(true, "has a PreviousKey with a line break (U+000A) at index 47 of its 48 characters")]
    public async Task An_api_key_scheme_with_a_key_no_caller_can_send_stops_start_up_saying_what_to_remove(bool previous, string state)
    {
        // Before, the scheme took it, and refused every caller: a header value cannot carry a line break.
        const string Unsendable = "an-api-key-read-from-a-file-with-its-line-break\n";
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddAuthentication().AddSessionsApiKey(o => (o.Key, o.PreviousKey) = previous ? (ApiKey, Unsendable) : (Unsendable, null));
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
            },
            app => app.MapSessions()));

        Assert.Contains($"The API-key authentication scheme 'SessionsApiKey' {state}, which an x-api-key header cannot carry as it is, so that no caller " +
            "could send the key: remove it (a key read from a file often ends with a line break).", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("read-from-a-file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_key_scheme_with_a_short_PreviousKey_stops_start_up_without_echoing_it()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddAuthentication().AddSessionsApiKey(o => (o.Key, o.PreviousKey) = (ApiKey, "too-short-api-key"));
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
            },
            app => app.MapSessions()));

        Assert.Contains("The API-key authentication scheme 'SessionsApiKey' has a PreviousKey of 17 bytes; it needs at least 32 bytes, as Key does.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short-api-key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_method_of_the_contract_is_classified_so_a_new_one_needs_a_decision()
    {
        var expected = new Dictionary<string, (string? Plain, string? BySessionId)>
        {
            ["Create"] = ("Create", "Create"),
            ["Validate"] = (null, null),
            ["GetKeys"] = (null, null),
            ["Refresh"] = (null, null),
            ["Revoke"] = (null, "Revoke by session_id"),
            ["RevokeAll"] = ("RevokeAll", "RevokeAll"),
            ["ListSessions"] = ("ListSessions", "ListSessions"),
        };

        var methods = Protocol.Sessions.Descriptor.Methods.Select(m => m.Name).ToList();

        Assert.Equal(expected.Keys.Order(), methods.Order());
        foreach (var method in methods)
        {
            var path = "/sessions.Sessions/" + method;
            Assert.Equal(expected[method].Plain, Internal.Privileged.PrivilegedCalls.NameOf(path, new RevokeSessionRequest { Token = "t" }));
            Assert.Equal(expected[method].BySessionId, Internal.Privileged.PrivilegedCalls.NameOf(path, new RevokeSessionRequest { SessionId = "s" }));
        }

        Assert.Equal("SomeLaterCall", Internal.Privileged.PrivilegedCalls.NameOf("/sessions.Sessions/SomeLaterCall", request: null));
    }

    /// <summary>A requirement that refuses every call with a reason, as a host that switches calls off would write.</summary>
    private sealed class ClosedRequirement(string reason) : AuthorizationHandler<ClosedRequirement>, IAuthorizationRequirement
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ClosedRequirement requirement)
        {
            context.Fail(new AuthorizationFailureReason(this, reason));
            return Task.CompletedTask;
        }
    }
}

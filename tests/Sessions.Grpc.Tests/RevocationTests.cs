using Microsoft.Extensions.Configuration;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>Refresh tokens and revocation end to end, on the default in-memory store.</summary>
public sealed class RevocationTests
{
    private static async Task AssertRevokedAsync(TestHost host, string token)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.ValidateAsync(new ValidateTokenRequest { Token = token }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("token is revoked", ex.Status.Detail);
        Assert.Equal("revoked", ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
    }

    private static Task<TokenReply> CreateAsync(TestHost host, bool withRefreshToken = false) =>
        host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = withRefreshToken }).ResponseAsync;

    [Fact]
    public async Task Create_returns_a_refresh_token_only_when_asked()
    {
        await using var host = await SessionsHost.StartAsync();

        var plain = await CreateAsync(host);
        var withRefresh = await CreateAsync(host, withRefreshToken: true);

        Assert.Empty(plain.RefreshToken);
        Assert.Equal(0, plain.RefreshExpiresAt);
        Assert.Equal(64, withRefresh.RefreshToken.Length);
        Assert.Equal(32, withRefresh.ChainId.Length);
        Assert.Equal((SessionsHost.Start + TimeSpan.FromDays(14)).ToUnixTimeSeconds(), withRefresh.RefreshExpiresAt);
    }

    [Fact]
    public async Task Revoke_by_session_id_makes_Validate_refuse_the_token_as_revoked()
    {
        await using var host = await SessionsHost.StartAsync();
        var created = await CreateAsync(host);
        var other = await CreateAsync(host);

        var reply = await host.Client.RevokeAsync(new RevokeSessionRequest { SessionId = created.SessionId });

        Assert.True(reply.Revoked);
        Assert.Equal(SessionsHost.Start.ToUnixTimeSeconds(), reply.RevokedAt);
        await AssertRevokedAsync(host, created.Token);
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = other.Token })).Valid);
    }

    [Fact]
    public async Task Revoke_by_token_makes_Validate_refuse_it_and_is_idempotent()
    {
        await using var host = await SessionsHost.StartAsync();
        var created = await CreateAsync(host);

        await host.Client.RevokeAsync(new RevokeSessionRequest { Token = created.Token });
        var again = await host.Client.RevokeAsync(new RevokeSessionRequest { Token = created.Token });

        Assert.True(again.Revoked);
        await AssertRevokedAsync(host, created.Token);
    }

    [Fact]
    public async Task Revoke_by_token_names_the_revoked_session_in_its_log_line()
    {
        // Before, the line read session=-: which session a holder ended was not in the log.
        await using var host = await SessionsHost.StartAsync();
        var created = await CreateAsync(host, withRefreshToken: true);

        await host.Client.RevokeAsync(new RevokeSessionRequest { Token = created.Token });

        var line = Assert.Single(host.Logs.Lines, line => line.EventId.Name == "CallCompleted" && line.Message.StartsWith("Sessions.Revoke ", StringComparison.Ordinal));
        Assert.StartsWith($"Sessions.Revoke revoked session={created.SessionId} in ", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_refuses_a_bad_token_a_bad_id_and_an_empty_request()
    {
        await using var host = await SessionsHost.StartAsync();

        var badToken = await Assert.ThrowsAsync<RpcException>(() => host.Client.RevokeAsync(new RevokeSessionRequest { Token = "garbage" }).ResponseAsync);
        var badId = await Assert.ThrowsAsync<RpcException>(() => host.Client.RevokeAsync(new RevokeSessionRequest { SessionId = "42" }).ResponseAsync);
        var empty = await Assert.ThrowsAsync<RpcException>(() => host.Client.RevokeAsync(new RevokeSessionRequest()).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "token is malformed"), (badToken.StatusCode, badToken.Status.Detail));
        Assert.Equal(StatusCode.InvalidArgument, badId.StatusCode);
        Assert.Contains("session_id must be a UUID", badId.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
    }

    [Fact]
    public async Task RevokeAll_revokes_every_session_of_the_user_issued_until_then()
    {
        await using var host = await SessionsHost.StartAsync();
        var first = await CreateAsync(host);
        var second = await CreateAsync(host, withRefreshToken: true);

        await host.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = TestTokens.UserId.ToUpperInvariant() });

        await AssertRevokedAsync(host, first.Token);
        await AssertRevokedAsync(host, second.Token);
        var refresh = await Assert.ThrowsAsync<RpcException>(() => host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = second.RefreshToken }).ResponseAsync);
        Assert.Equal("refresh token is revoked; sign in again", refresh.Status.Detail);

        host.Time.Advance(TimeSpan.FromSeconds(1));
        var later = await CreateAsync(host);
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = later.Token })).Valid);
    }

    [Fact]
    public async Task A_login_right_after_RevokeAll_in_the_same_second_is_valid()
    {
        // A password change: every session ends, and the user gets a new one at once.
        await using var host = await SessionsHost.StartAsync();
        var before = await CreateAsync(host, withRefreshToken: true);
        host.Time.Advance(TimeSpan.FromMilliseconds(5));

        var revoked = await host.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = TestTokens.UserId });
        host.Time.Advance(TimeSpan.FromMilliseconds(5));
        var after = await CreateAsync(host, withRefreshToken: true);

        Assert.Equal(before.IssuedAt, after.IssuedAt);
        Assert.Equal(revoked.RevokedAt, after.IssuedAt);
        await AssertRevokedAsync(host, before.Token);
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = after.Token })).Valid);
        Assert.True((await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = after.RefreshToken })).Valid);
    }

    [Fact]
    public async Task Refresh_rotates_the_refresh_token_and_returns_a_new_valid_session()
    {
        await using var host = await SessionsHost.StartAsync();
        var created = await CreateAsync(host, withRefreshToken: true);
        host.Time.Advance(TimeSpan.FromHours(1));

        var refreshed = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken });

        Assert.True(refreshed.Valid);
        Assert.NotEqual(created.Token, refreshed.Token);
        Assert.NotEqual(created.SessionId, refreshed.SessionId);
        Assert.NotEqual(created.RefreshToken, refreshed.RefreshToken);
        Assert.Equal(TestTokens.UserId, refreshed.Subject);
        Assert.Equal(created.IssuedAt + 3600, refreshed.IssuedAt);
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = refreshed.Token })).Valid);
        var next = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = refreshed.RefreshToken });
        Assert.True(next.Valid);
    }

    [Fact]
    public async Task Sessions_issued_by_Refresh_carry_the_claims_given_to_Create()
    {
        await using var host = await SessionsHost.StartAsync();
        var roles = new StringList();
        roles.Values.AddRange(["admin", "dev"]);
        var request = new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true };
        request.Claims.Add("tenant", new ClaimValue { StringValue = "acme" });
        request.Claims.Add("auth_level", new ClaimValue { IntegerValue = 2 });
        request.Claims.Add("score", new ClaimValue { NumberValue = 0.75 });
        request.Claims.Add("mfa", new ClaimValue { BoolValue = true });
        request.Claims.Add("roles", new ClaimValue { StringsValue = roles });
        var created = await host.Client.CreateAsync(request);
        host.Time.Advance(TimeSpan.FromMinutes(5));

        var refreshed = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken });
        var validated = await host.Client.ValidateAsync(new ValidateTokenRequest { Token = refreshed.Token });
        var next = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = refreshed.RefreshToken });
        var validatedNext = await host.Client.ValidateAsync(new ValidateTokenRequest { Token = next.Token });

        Assert.Equal(64, created.RefreshToken.Length);
        Assert.Equal(request.Claims, created.Claims);
        Assert.Equal(request.Claims, refreshed.Claims);
        Assert.Equal(request.Claims, validated.Claims);
        Assert.Equal(request.Claims, validatedNext.Claims);
    }

    [Fact]
    public async Task Refresh_after_the_claim_limits_were_lowered_fails_cleanly_and_rotates_nothing()
    {
        var configuration = new ReloadableConfiguration()
            .Set("Sessions:Secret", SessionsHost.Secret)
            .Set("Sessions:MaxCustomClaims", "4");
        await using var host = await SessionsHost.StartAsync(
            (WebApplicationBuilder builder) =>
            {
                ((IConfigurationBuilder)builder.Configuration).Add(configuration);
                builder.Services.AddSessions(builder.Configuration.GetSection("Sessions"));
            },
            app => app.MapSessions());
        var request = new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true };
        request.Claims.Add("a", new ClaimValue { StringValue = "1" });
        request.Claims.Add("b", new ClaimValue { StringValue = "2" });
        var created = await host.Client.CreateAsync(request);

        configuration.Set("Sessions:MaxCustomClaims", "1").Reload();
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("claim limits", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(created.RefreshToken, error.Status.Detail, StringComparison.Ordinal);

        // Nothing was rotated: with the limits back, the same refresh token still works.
        configuration.Set("Sessions:MaxCustomClaims", "4").Reload();
        Assert.True((await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken })).Valid);
    }

    [Fact]
    public async Task Store_options_are_bound_from_the_Store_subsection_of_the_section_given_to_AddSessions()
    {
        var configuration = new ReloadableConfiguration()
            .Set("Auth:Secret", SessionsHost.Secret)
            .Set("Auth:Store:RefreshTokenLifetime", "2.00:00:00")
            .Set("Auth:Store:AbsoluteLifetime", "3.00:00:00")
            .Set("Sessions:Store:RefreshTokenLifetime", "5.00:00:00");
        await using var host = await SessionsHost.StartAsync(
            (WebApplicationBuilder builder) =>
            {
                ((IConfigurationBuilder)builder.Configuration).Add(configuration);
                builder.Services.AddSessions(builder.Configuration.GetSection("Auth"));
            },
            app => app.MapSessions());

        var created = await CreateAsync(host, withRefreshToken: true);

        Assert.Equal((SessionsHost.Start + TimeSpan.FromDays(2)).ToUnixTimeSeconds(), created.RefreshExpiresAt);
    }

    [Fact]
    public async Task Create_with_a_refresh_token_still_refuses_claims_beyond_the_limits()
    {
        await using var host = await SessionsHost.StartAsync(o => o.MaxCustomClaims = 1);
        var request = new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true };
        request.Claims.Add("a", new ClaimValue { StringValue = "1" });
        request.Claims.Add("b", new ClaimValue { StringValue = "2" });

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("at most 1 custom claims", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reusing_a_refresh_token_after_the_grace_period_revokes_the_chain_and_its_sessions()
    {
        await using var host = await SessionsHost.StartAsync();
        var created = await CreateAsync(host, withRefreshToken: true);
        var refreshed = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken });
        host.Time.Advance(TimeSpan.FromSeconds(11));

        var reuse = await Assert.ThrowsAsync<RpcException>(() => host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, reuse.StatusCode);
        Assert.Equal("refresh_token_reused", reuse.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
        Assert.Equal("refresh token was already used: its chain and sessions are revoked; sign in again", reuse.Status.Detail);
        await AssertRevokedAsync(host, created.Token);
        await AssertRevokedAsync(host, refreshed.Token);
        var stolen = await Assert.ThrowsAsync<RpcException>(() => host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = refreshed.RefreshToken }).ResponseAsync);
        Assert.Equal("refresh token is revoked; sign in again", stolen.Status.Detail);
    }

    [Fact]
    public async Task Parallel_refreshes_inside_the_grace_period_all_get_the_same_successor()
    {
        await using var host = await SessionsHost.StartAsync();
        var created = await CreateAsync(host, withRefreshToken: true);

        var replies = await Task.WhenAll(
            host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken }).ResponseAsync,
            host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken }).ResponseAsync);
        host.Time.Advance(TimeSpan.FromSeconds(5));
        var third = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken });

        Assert.All(replies.Append(third), r => Assert.True(r.Valid));
        Assert.Single(replies.Append(third).Select(r => r.RefreshToken).Distinct());
        Assert.Single(replies.Append(third).Select(r => r.Token).Distinct());
        Assert.Single(replies.Append(third).Select(r => r.ChainId).Distinct());
        foreach (var reply in replies.Append(third))
        {
            Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = reply.Token })).Valid);
        }
    }

    [Fact]
    public async Task The_absolute_lifetime_ends_the_chain_whatever_the_refreshes()
    {
        await using var host = await SessionsHost.StartAsync(
            builder => builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret)
                .ConfigureStore(o => { o.AbsoluteLifetime = TimeSpan.FromHours(36); o.RefreshTokenLifetime = TimeSpan.FromHours(24); }),
            app => app.MapSessions());
        var end = (SessionsHost.Start + TimeSpan.FromHours(36)).ToUnixTimeSeconds();
        var reply = await CreateAsync(host, withRefreshToken: true);

        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(TimeSpan.FromHours(11));
            reply = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = reply.RefreshToken });
            Assert.True(reply.RefreshExpiresAt <= end);
            Assert.True(reply.ExpiredAt <= end);
        }

        host.Time.Advance(TimeSpan.FromHours(4));
        var late = await Assert.ThrowsAsync<RpcException>(() => host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = reply.RefreshToken }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, late.StatusCode);
    }

    [Fact]
    public async Task Refresh_refuses_an_unknown_refresh_token_without_echoing_it()
    {
        await using var host = await SessionsHost.StartAsync();
        const string Unknown = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = Unknown }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "refresh token is invalid; sign in again"), (ex.StatusCode, ex.Status.Detail));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains(Unknown, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_refuses_an_empty_refresh_token_as_missing_and_says_what_to_send()
    {
        await using var host = await SessionsHost.StartAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = "" }).ResponseAsync);

        Assert.Equal(
            (StatusCode.InvalidArgument, "refresh token is missing: send the refresh_token from Create or the last Refresh"),
            (ex.StatusCode, ex.Status.Detail));
        Assert.Equal("refresh_token_missing", ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
    }

    [Fact]
    public async Task An_expired_refresh_token_is_refused_with_the_advice_to_sign_in_again()
    {
        await using var host = await SessionsHost.StartAsync();
        var created = await CreateAsync(host, withRefreshToken: true);
        host.Time.Advance(TimeSpan.FromDays(15));

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.EndsWith("; sign in again", ex.Status.Detail, StringComparison.Ordinal);
        Assert.StartsWith("refresh token is ", ex.Status.Detail, StringComparison.Ordinal);
    }
}

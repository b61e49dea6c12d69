using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// A revocation reaches every token it covers, also tokens another issuer signed with the same key: a <c>sub</c> that
/// spells the user's UUID otherwise, an <c>iat</c> in the future, an <c>exp</c> further from <c>iat</c> than
/// <c>Lifetime</c> (another issuer's, or a token issued before <c>Lifetime</c> was shortened). Each of these was
/// accepted after its revocation, or once its revocation had been dropped.
/// </summary>
public sealed class RevocationCoverageTests
{
    private static string Token(Dictionary<string, object> claims) => TestTokens.Sign(TestTokens.Header(), claims);

    private static async Task<bool> IsValidAsync(TestHost host, string token) =>
        (await host.Client.ValidateAsync(new ValidateTokenRequest { Token = token })).Valid;

    private static async Task AssertRefusedAsync(TestHost host, string token, string reason)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.ValidateAsync(new ValidateTokenRequest { Token = token }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(reason, ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
    }

    [Theory]
    [InlineData("3F2504E0-4F89-11D3-9A0C-0305E82C3301")]
    [InlineData("{3f2504e0-4f89-11d3-9a0c-0305e82c3301}")]
    [InlineData("(3F2504E0-4F89-11D3-9A0C-0305E82C3301)")]
    [InlineData("3f2504e04f8911d39a0c0305e82c3301")]
    public async Task RevokeAll_reaches_a_token_whose_sub_spells_the_user_id_otherwise(string sub)
    {
        await using var host = await SessionsHost.StartAsync();
        var claims = TestTokens.Claims(host.Time.GetUtcNow());
        claims["sub"] = sub;
        var token = Token(claims);
        var otherUser = TestTokens.Claims(host.Time.GetUtcNow());
        otherUser["sub"] = "3F2504E0-4F89-11D3-9A0C-0305E82C3302";
        Assert.True(await IsValidAsync(host, token));

        await host.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = TestTokens.UserId });

        await AssertRefusedAsync(host, token, "revoked");
        Assert.True(await IsValidAsync(host, Token(otherUser)));
        // RevokeAll given another spelling of the user id revokes the same user.
        await host.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = "{" + TestTokens.UserId.ToUpperInvariant() + "}" });
        await AssertRefusedAsync(host, token, "revoked");
    }

    [Fact]
    public async Task A_token_issued_further_in_the_future_than_the_clock_skew_is_refused_as_not_yet_valid()
    {
        await using var host = await SessionsHost.StartAsync();
        var now = host.Time.GetUtcNow();
        var withinSkew = TestTokens.Claims(now + TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));
        var beyondSkew = TestTokens.Claims(now + TimeSpan.FromSeconds(31), TimeSpan.FromHours(1));
        var yearsAhead = TestTokens.Claims(now + TimeSpan.FromDays(3650), TimeSpan.FromHours(1));

        Assert.True(await IsValidAsync(host, Token(withinSkew)));
        await AssertRefusedAsync(host, Token(beyondSkew), "not_yet_valid");
        await AssertRefusedAsync(host, Token(yearsAhead), "not_yet_valid");
    }

    [Fact]
    public async Task A_token_that_lives_longer_than_Lifetime_is_refused_as_expired()
    {
        await using var host = await SessionsHost.StartAsync(o => o.Lifetime = TimeSpan.FromSeconds(20));
        var now = host.Time.GetUtcNow();

        Assert.True(await IsValidAsync(host, Token(TestTokens.Claims(now, TimeSpan.FromSeconds(20)))));
        await AssertRefusedAsync(host, Token(TestTokens.Claims(now, TimeSpan.FromSeconds(21))), "expired");
        await AssertRefusedAsync(host, Token(TestTokens.Claims(now, TimeSpan.FromHours(1))), "expired");
        // Issued by this server before Lifetime was shortened: the same refusal.
        await AssertRefusedAsync(host, Token(TestTokens.Claims(now - TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10))), "expired");
    }

    [Fact]
    public async Task A_revocation_by_session_id_lasts_while_a_token_with_that_id_can_be_accepted()
    {
        await using var host = await SessionsHost.StartAsync(o => o.Lifetime = TimeSpan.FromSeconds(20));
        var now = host.Time.GetUtcNow();
        // The latest a token with this id can expire: issued a clock skew (30 s) ahead, for Lifetime.
        var claims = TestTokens.Claims(now + TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20));
        var token = Token(claims);
        Assert.True(await IsValidAsync(host, token));

        await host.Client.RevokeAsync(new RevokeSessionRequest { SessionId = (string)claims["jti"] });

        // The token is accepted until a clock skew after its exp (now + 80 s); the store's purge runs every minute.
        for (var elapsed = 0; elapsed < 79; elapsed += 5)
        {
            host.Time.Advance(TimeSpan.FromSeconds(5));
            await AssertRefusedAsync(host, token, elapsed + 5 < 80 ? "revoked" : "expired");
        }

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await AssertRefusedAsync(host, token, "expired");
    }
}

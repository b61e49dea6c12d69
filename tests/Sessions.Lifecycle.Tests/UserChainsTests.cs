using Microsoft.Extensions.Time.Testing;

namespace Sessions.Lifecycle.Tests;

/// <summary>
/// The in-memory store's list of a user's chains (what the per-user cap, <c>ListSessions</c> and <c>RevokeAll</c> go
/// through) holds the chains that can still refresh, however many the user ended before; every revocation still holds.
/// </summary>
public sealed class UserChainsTests : IDisposable
{
    private readonly FakeTimeProvider _clock = TestTokens.Clock();
    private readonly InMemorySessionStore _store;
    private readonly JwtSessionIssuer _issuer;
    private readonly JwtSessionValidator _validator;
    private readonly SessionLifecycle _lifecycle;

    public UserChainsTests()
    {
        var options = new SessionStoreOptions { MaxChainsPerSubject = 2, MaxRevocations = 1 };
        _store = new InMemorySessionStore(options, _clock);
        _issuer = new JwtSessionIssuer(TestTokens.Options(), _clock);
        _validator = new JwtSessionValidator(TestTokens.Options(), null, _store, _clock);
        _lifecycle = new SessionLifecycle(_issuer, _validator, _store, options, _clock);
    }

    public void Dispose()
    {
        _store.Dispose();
        _issuer.Dispose();
        _validator.Dispose();
    }

    [Fact]
    public async Task After_many_sign_ins_and_log_outs_the_users_list_holds_only_live_chains()
    {
        const int Cycles = 200;
        var kept = await _lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject);
        var ended = new List<RefreshTokenIssued>();
        for (var i = 0; i < Cycles; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            var signedIn = await _lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject);
            switch (i % 4)
            {
                case 0:
                    await _lifecycle.RevokeTokenAsync(signedIn.Session.Token);
                    break;
                case 1:
                    await _lifecycle.RevokeSessionAsync(signedIn.Session.SessionId.ToString("D"));
                    break;
                case 2:
                    Assert.True(await _store.RevokeChainAsync(signedIn.ChainId, _clock.GetUtcNow()));
                    break;
                default:
                    var next = (await _lifecycle.RefreshAsync(signedIn.RefreshToken)).Issued!;
                    _clock.Advance(TimeSpan.FromSeconds(11));
                    Assert.Equal(RefreshTokenRotationStatus.Reused, (await _lifecycle.RefreshAsync(signedIn.RefreshToken)).Status);
                    signedIn = next;
                    break;
            }

            ended.Add(signedIn);
            Assert.Equal(1, _store.ListedChainCount(TestTokens.Subject));
        }

        foreach (var chain in ended)
        {
            Assert.Equal(SessionFailureReason.Revoked, _validator.Validate(chain.Session.Token).FailureReason);
            Assert.Equal(RefreshTokenRotationStatus.Revoked, (await _lifecycle.RefreshAsync(chain.RefreshToken)).Status);
        }

        Assert.Equal(kept.ChainId, Assert.Single(await _lifecycle.ListSessionsAsync(TestTokens.Subject)).ChainId);
        var another = await _lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject);
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => _lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject));
        Assert.Equal(2, _store.ListedChainCount(TestTokens.Subject));

        // Revoking by session id still finds a revoked chain while it is kept.
        var record = await _store.RevokeSessionAsync(ended[1].Session.SessionId.ToString("D"), _clock.GetUtcNow().AddHours(1), _clock.GetUtcNow());
        Assert.Equal(ended[1].ChainId, record?.ChainId);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await _lifecycle.RevokeSubjectAsync(TestTokens.Subject);
        Assert.Equal(0, _store.ListedChainCount(TestTokens.Subject));
        foreach (var live in new[] { kept, another })
        {
            Assert.Equal(SessionFailureReason.Revoked, _validator.Validate(live.Session.Token).FailureReason);
            Assert.Equal(RefreshTokenRotationStatus.Revoked, (await _lifecycle.RefreshAsync(live.RefreshToken)).Status);
        }

        Assert.Empty(await _lifecycle.ListSessionsAsync(TestTokens.Subject));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = await _lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject);
        Assert.Equal(SessionFailureReason.None, _validator.Validate(after.Session.Token).FailureReason);
        Assert.Equal(1, _store.ListedChainCount(TestTokens.Subject));
    }

    [Fact]
    public async Task A_chain_whose_newest_refresh_token_expired_holds_no_slot_and_is_not_listed()
    {
        // Refresh tokens shorter-lived than sessions (an hour; sessions a day), so that the abandoned device's session is
        // still live when its chain goes idle.
        var options = new SessionStoreOptions { MaxChainsPerSubject = 2, RefreshTokenLifetime = TimeSpan.FromHours(1) };
        using var store = new InMemorySessionStore(options, _clock);
        using var validator = new JwtSessionValidator(TestTokens.Options(), null, store, _clock);
        var lifecycle = new SessionLifecycle(_issuer, validator, store, options, _clock);

        // Two devices at the cap of 2: the laptop is refreshed within its refresh lifetime, the phone is abandoned.
        var phone = await lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject, description: "phone");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var laptop = await lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject, description: "laptop");
        _clock.Advance(TimeSpan.FromMinutes(30));
        laptop = (await lifecycle.RefreshAsync(laptop.RefreshToken)).Issued!;

        // Until its refresh token expires, the phone is a signed-in device: listed, and holding a slot.
        _clock.Advance(phone.RefreshExpiresAt - _clock.GetUtcNow() - TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, (await lifecycle.ListSessionsAsync(TestTokens.Subject)).Count);
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject));

        // From then on it can issue nothing more: not listed, and a new sign-in takes its slot.
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(laptop.ChainId, Assert.Single(await lifecycle.ListSessionsAsync(TestTokens.Subject)).ChainId);
        var tablet = await lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject, description: "tablet");
        Assert.Equal(2, store.ListedChainCount(TestTokens.Subject));
        Assert.Equal([tablet.ChainId, laptop.ChainId], (await lifecycle.ListSessionsAsync(TestTokens.Subject)).Select(static c => c.ChainId));

        // The laptop, refreshed within its refresh lifetime, still holds its slot.
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject));

        // The phone's refresh token is refused as before; its session lives on until it expires.
        Assert.Equal(RefreshTokenRotationStatus.Expired, (await lifecycle.RefreshAsync(phone.RefreshToken)).Status);
        Assert.Equal(SessionFailureReason.None, validator.Validate(phone.Session.Token).FailureReason);

        // RevokeAll ends every session of the user, the idle chain's included, and the live chains.
        _clock.Advance(TimeSpan.FromSeconds(1));
        await lifecycle.RevokeSubjectAsync(TestTokens.Subject);
        foreach (var device in new[] { phone, laptop, tablet })
        {
            Assert.Equal(SessionFailureReason.Revoked, validator.Validate(device.Session.Token).FailureReason);
        }

        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await lifecycle.RefreshAsync(laptop.RefreshToken)).Status);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await lifecycle.RefreshAsync(tablet.RefreshToken)).Status);
        Assert.NotEqual(RefreshTokenRotationStatus.Rotated, (await lifecycle.RefreshAsync(phone.RefreshToken)).Status);
        Assert.Empty(await lifecycle.ListSessionsAsync(TestTokens.Subject));

        // Revoking by a session id the idle chain issued still finds the chain.
        var record = await store.RevokeSessionAsync(phone.Session.SessionId.ToString("D"), _clock.GetUtcNow().AddHours(1), _clock.GetUtcNow());
        Assert.Equal(phone.ChainId, record?.ChainId);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await lifecycle.RefreshAsync(phone.RefreshToken)).Status);
    }

    [Fact]
    public async Task A_refresh_that_read_its_clock_before_a_sign_in_found_the_chain_idle_is_refused_as_expired()
    {
        // The store decides in the order calls reach it: once a sign-in took the idle chain's slot, a refresh that read
        // an earlier clock (another instance's, or one delayed) cannot bring the chain back unlisted, out of the cap's,
        // the list's and RevokeAll's reach.
        using var store = new InMemorySessionStore(new SessionStoreOptions { MaxChainsPerSubject = 1 }, _clock);
        var t0 = _clock.GetUtcNow();
        var idle = new RefreshChainRecord("idle", TestTokens.Subject, t0, t0.AddDays(30));
        await store.CreateChainAsync(idle, new RefreshTokenRecord("h1", "s1", t0.AddMinutes(15), t0, t0.AddHours(1)));
        var later = t0.AddHours(1);
        var signedIn = new RefreshChainRecord("signed-in", TestTokens.Subject, later, later.AddDays(30));
        await store.CreateChainAsync(signedIn, new RefreshTokenRecord("h2", "s2", later.AddMinutes(15), later, later.AddHours(1)));

        var stale = later - TimeSpan.FromMilliseconds(1);
        var successor = new RefreshTokenRecord("h3", "s3", stale.AddMinutes(15), stale, stale.AddHours(1));
        var rotation = await store.RotateRefreshTokenAsync(new RefreshTokenRotationRequest("idle", "h1", successor, "sealed", stale, TimeSpan.FromSeconds(10)));
        Assert.Equal(RefreshTokenRotationStatus.Expired, rotation.Status);
        Assert.Equal("signed-in", Assert.Single(await store.ListChainsAsync(TestTokens.Subject, later)).ChainId);
        Assert.Equal(1, store.ListedChainCount(TestTokens.Subject));
    }

    [Fact]
    public async Task RevokeAll_of_a_user_whose_chains_are_all_revoked_is_not_counted_as_a_revocation_of_an_unknown_user()
    {
        var issued = await _lifecycle.IssueWithRefreshTokenAsync(TestTokens.Subject);
        await _lifecycle.RevokeTokenAsync(issued.Session.Token);
        await _lifecycle.RevokeSubjectAsync("stranger-0");
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => _lifecycle.RevokeSubjectAsync("stranger-1"));

        _clock.Advance(TimeSpan.FromSeconds(1));
        await _lifecycle.RevokeSubjectAsync(TestTokens.Subject);
        await _lifecycle.RevokeSubjectAsync(TestTokens.Subject);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await _lifecycle.RefreshAsync(issued.RefreshToken)).Status);
        Assert.Equal(0, _store.ListedChainCount(TestTokens.Subject));

        // Once nothing of the chain can be accepted any more, the user is unknown again, and counted as such.
        _clock.Advance(TimeSpan.FromDays(31));
        await _lifecycle.RevokeSubjectAsync("stranger-1");
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => _lifecycle.RevokeSubjectAsync(TestTokens.Subject));
    }
}

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

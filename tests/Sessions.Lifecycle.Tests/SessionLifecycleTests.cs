using Microsoft.Extensions.Time.Testing;

namespace Sessions.Lifecycle.Tests;

/// <summary>Refresh tokens and revocation through <see cref="SessionLifecycle"/> on the in-memory store.</summary>
public sealed class SessionLifecycleTests : IDisposable
{
    private readonly FakeTimeProvider _clock = TestTokens.Clock();
    private readonly InMemorySessionStore _store;
    private readonly JwtSessionIssuer _issuer;
    private readonly JwtSessionValidator _validator;
    private readonly SessionStoreOptions _options = new();
    private readonly SessionLifecycle _manager;

    public SessionLifecycleTests()
    {
        _store = new InMemorySessionStore(timeProvider: _clock);
        _issuer = new JwtSessionIssuer(TestTokens.Options(), _clock);
        _validator = new JwtSessionValidator(TestTokens.Options(), null, _store, _clock);
        _manager = new SessionLifecycle(_issuer, _validator, _store, _options, _clock);
    }

    public void Dispose()
    {
        _store.Dispose();
        _issuer.Dispose();
        _validator.Dispose();
    }

    private SessionFailureReason Validate(RefreshTokenIssued issued) => _validator.Validate(issued.Session.Token).FailureReason;

    [Fact]
    public void A_default_rotation_result_is_no_success()
    {
        // Status 0 is Rotated: a store that returned default(RefreshTokenRotation) read as a rotation without a successor.
        Assert.False(default(RefreshTokenRotation).Succeeded);
        Assert.False(new RefreshTokenRotation(RefreshTokenRotationStatus.Rotated).Succeeded);
        Assert.True(new RefreshTokenRotation(RefreshTokenRotationStatus.Rotated, "sealed").Succeeded);
        Assert.True(new RefreshTokenRotation(RefreshTokenRotationStatus.RotatedWithinGracePeriod, "sealed").Succeeded);
        Assert.False(new RefreshTokenRotation(RefreshTokenRotationStatus.Reused, "sealed").Succeeded);
    }

    [Fact]
    public async Task A_store_that_answers_Rotated_without_storing_the_successor_hands_out_no_session()
    {
        // Before, the lifecycle took the status alone: a store that returned default(RefreshTokenRotation) (status 0 is
        // Rotated) handed out a session and a refresh token it had never stored, for a token it may never have rotated.
        var forgetful = new ForgetfulStore(_store);
        var manager = new SessionLifecycle(_issuer, _validator, forgetful, _options, _clock);
        var first = await manager.IssueWithRefreshTokenAsync(TestTokens.Subject);

        var refreshed = await manager.RefreshAsync(first.RefreshToken);

        Assert.False(refreshed.Succeeded);
        Assert.Null(refreshed.Issued);
        Assert.Equal(RefreshTokenRotationStatus.NotFound, refreshed.Status);
        Assert.Equal(1, forgetful.Rotations);
    }

    [Fact]
    public async Task A_refresh_token_is_its_chain_id_and_256_random_bits_in_base64url()
    {
        var issued = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);

        Assert.Equal(64, issued.RefreshToken.Length);
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(issued.RefreshToken);
        Assert.Equal(48, bytes.Length);
        Assert.Equal(issued.ChainId, Convert.ToHexStringLower(bytes.AsSpan(0, 16)));
        Assert.StartsWith(RefreshChainRecord.SubjectTag(TestTokens.Subject), issued.ChainId, StringComparison.Ordinal);
        Assert.Equal(1, _store.RefreshTokenCount);
        Assert.Equal(_clock.GetUtcNow() + _options.RefreshTokenLifetime, issued.RefreshExpiresAt);
    }

    [Fact]
    public async Task Refresh_rotates_the_token_within_the_same_chain()
    {
        var first = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var second = await _manager.RefreshAsync(first.RefreshToken);

        Assert.Equal(RefreshTokenRotationStatus.Rotated, second.Status);
        Assert.NotNull(second.Issued);
        Assert.Equal(first.ChainId, second.Issued.ChainId);
        Assert.NotEqual(first.RefreshToken, second.Issued.RefreshToken);
        Assert.NotEqual(first.Session.SessionId, second.Issued.Session.SessionId);
        Assert.Equal(TestTokens.Subject, second.Issued.Subject);
        Assert.Equal(SessionFailureReason.None, Validate(second.Issued));
        Assert.Equal(SessionFailureReason.None, Validate(first));
    }

    [Fact]
    public async Task Reuse_after_the_grace_period_revokes_the_chain_and_every_session_it_issued()
    {
        var first = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);
        var second = (await _manager.RefreshAsync(first.RefreshToken)).Issued!;
        _clock.Advance(_options.RefreshReuseGracePeriod + TimeSpan.FromSeconds(1));

        var reuse = await _manager.RefreshAsync(first.RefreshToken);

        Assert.Equal(RefreshTokenRotationStatus.Reused, reuse.Status);
        Assert.Null(reuse.Issued);
        Assert.Equal(SessionFailureReason.Revoked, Validate(first));
        Assert.Equal(SessionFailureReason.Revoked, Validate(second));
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await _manager.RefreshAsync(second.RefreshToken)).Status);
    }

    [Fact]
    public async Task Parallel_refreshes_within_the_grace_period_all_get_the_same_successor()
    {
        var first = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _manager.RefreshAsync(first.RefreshToken))));

        Assert.Single(results, r => r.Status == RefreshTokenRotationStatus.Rotated);
        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.All(results, r => Assert.Equal(first.ChainId, r.Issued!.ChainId));
        Assert.Single(results.Select(r => r.Issued!.RefreshToken).Distinct());
        Assert.Single(results.Select(r => r.Issued!.Session.Token).Distinct());
    }

    [Fact]
    public async Task No_refresh_extends_the_chain_past_its_absolute_lifetime()
    {
        _options.RefreshTokenLifetime = TimeSpan.FromDays(20);
        _options.AbsoluteLifetime = TimeSpan.FromDays(30);
        var current = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);
        var end = _clock.GetUtcNow() + _options.AbsoluteLifetime;

        for (var day = 0; day < 29; day++)
        {
            _clock.Advance(TimeSpan.FromDays(1));
            current = (await _manager.RefreshAsync(current.RefreshToken)).Issued!;
            Assert.True(current.RefreshExpiresAt <= end);
            Assert.True(current.Session.ExpiresAt <= end);
        }

        _clock.Advance(TimeSpan.FromDays(1));
        var late = await _manager.RefreshAsync(current.RefreshToken);
        Assert.False(late.Succeeded);
        Assert.Contains(late.Status, new[] { RefreshTokenRotationStatus.Expired, RefreshTokenRotationStatus.NotFound });
    }

    [Fact]
    public async Task Refresh_refuses_unknown_and_malformed_tokens()
    {
        Assert.Equal(RefreshTokenRotationStatus.NotFound, (await _manager.RefreshAsync(null)).Status);
        Assert.Equal(RefreshTokenRotationStatus.NotFound, (await _manager.RefreshAsync("not-a-token")).Status);
        Assert.Equal(RefreshTokenRotationStatus.NotFound, (await _manager.RefreshAsync(new string('A', 43))).Status);
    }

    [Fact]
    public async Task Revoking_a_session_revokes_its_refresh_chain()
    {
        var first = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);

        await _manager.RevokeSessionAsync(first.Session.SessionId.ToString());

        Assert.Equal(SessionFailureReason.Revoked, Validate(first));
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await _manager.RefreshAsync(first.RefreshToken)).Status);
    }

    [Fact]
    public async Task Revoking_a_subject_revokes_what_was_issued_before_it_in_the_same_second_and_nothing_issued_after()
    {
        // "Log out everywhere", then log in again at once: one second of iat holds all three.
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        var before = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);
        var plainBefore = _issuer.Issue(TestTokens.Subject);
        _clock.Advance(TimeSpan.FromMilliseconds(200));

        var revokedAt = await _manager.RevokeSubjectAsync(TestTokens.Subject);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var after = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);
        var plainAfter = _issuer.Issue(TestTokens.Subject);

        Assert.Equal(before.Session.IssuedAt, after.Session.IssuedAt);
        Assert.Equal(revokedAt.ToUnixTimeSeconds(), after.Session.IssuedAt.ToUnixTimeSeconds());
        Assert.Equal(SessionFailureReason.Revoked, Validate(before));
        Assert.Equal(SessionFailureReason.Revoked, _validator.Validate(plainBefore.Token).FailureReason);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await _manager.RefreshAsync(before.RefreshToken)).Status);
        Assert.Equal(SessionFailureReason.None, Validate(after));
        Assert.Equal(SessionFailureReason.None, _validator.Validate(plainAfter.Token).FailureReason);
        Assert.True((await _manager.RefreshAsync(after.RefreshToken)).Succeeded);
    }

    [Fact]
    public async Task Revoking_a_subject_revokes_its_refresh_tokens_issued_until_then()
    {
        var first = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);
        _clock.Advance(TimeSpan.FromMilliseconds(300));

        await _manager.RevokeSubjectAsync(TestTokens.Subject);

        Assert.Equal(SessionFailureReason.Revoked, Validate(first));
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await _manager.RefreshAsync(first.RefreshToken)).Status);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var later = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);
        Assert.Equal(SessionFailureReason.None, Validate(later));
        Assert.True((await _manager.RefreshAsync(later.RefreshToken)).Succeeded);
    }

    [Fact]
    public async Task A_sign_in_whose_chain_reaches_the_store_after_a_RevokeAll_of_its_instant_is_refused_with_everything_it_issued()
    {
        // The sign-in read the clock and issued its session; "log out everywhere" ran, at that same instant, before the
        // sign-in's chain was stored. The chain is the user's from before the revocation: it must not refresh.
        var late = await new SessionLifecycle(_issuer, _validator, new RevokingBeforeCreateStore(_store, _manager), _options, _clock)
            .IssueWithRefreshTokenAsync(TestTokens.Subject);

        Assert.Equal(SessionFailureReason.Revoked, Validate(late));
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await _manager.RefreshAsync(late.RefreshToken)).Status);
        Assert.Empty(await _manager.ListSessionsAsync(TestTokens.Subject));
        Assert.Equal(0, _store.ListedChainCount(TestTokens.Subject));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var after = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);
        Assert.Equal(SessionFailureReason.None, Validate(after));
        Assert.True((await _manager.RefreshAsync(after.RefreshToken)).Succeeded);
    }

    [Fact]
    public async Task RevokeToken_refuses_a_token_that_is_not_valid_and_accepts_one_already_revoked()
    {
        var issued = _issuer.Issue(TestTokens.Subject);

        Assert.Equal(SessionFailureReason.Malformed, await _manager.RevokeTokenAsync("garbage"));
        Assert.Equal(SessionFailureReason.None, await _manager.RevokeTokenAsync(issued.Token));
        Assert.Equal(SessionFailureReason.None, await _manager.RevokeTokenAsync(issued.Token));
        Assert.Equal(SessionFailureReason.Revoked, _validator.Validate(issued.Token).FailureReason);
    }

    [Fact]
    public async Task The_purge_timer_drops_revocations_and_refresh_tokens_once_their_tokens_expired()
    {
        var issued = await _manager.IssueWithRefreshTokenAsync(TestTokens.Subject);
        await _manager.RevokeSessionAsync(Guid.NewGuid().ToString());
        await _manager.RevokeSubjectAsync("someone");
        Assert.Equal(2, _store.RevocationCount);
        Assert.Equal(1, _store.RefreshTokenCount);

        // The chain's newest refresh token and its session have expired: nothing of it can be accepted, so it is
        // dropped then, long before its absolute end (before, it held a slot of MaxChains until then).
        _clock.Advance(_options.RefreshTokenLifetime + TimeSpan.FromMinutes(1));
        Assert.Equal(0, _store.ChainCount);
        Assert.Equal(0, _store.RevocationCount);
        Assert.Equal(0, _store.RefreshTokenCount);
        Assert.Equal(RefreshTokenRotationStatus.NotFound, (await _manager.RefreshAsync(issued.RefreshToken)).Status);
    }

    /// <summary>A store that, before storing a chain, lets a RevokeAll of its subject through first.</summary>
    private sealed class RevokingBeforeCreateStore(ISessionStore inner, SessionLifecycle revoker) : ISessionStore
    {
        public async Task CreateChainAsync(RefreshChainRecord chain, RefreshTokenRecord first, CancellationToken cancellationToken = default)
        {
            await revoker.RevokeSubjectAsync(chain.Subject, cancellationToken);
            await inner.CreateChainAsync(chain, first, cancellationToken);
        }

        public Task<RefreshChainRecord?> FindChainAsync(string chainId, CancellationToken cancellationToken = default) => inner.FindChainAsync(chainId, cancellationToken);

        public Task<RefreshTokenRotation> RotateRefreshTokenAsync(RefreshTokenRotationRequest request, CancellationToken cancellationToken = default) => inner.RotateRefreshTokenAsync(request, cancellationToken);

        public Task<bool> RevokeChainAsync(string chainId, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.RevokeChainAsync(chainId, now, cancellationToken);

        public Task<RefreshChainRecord?> RevokeSessionAsync(string sessionId, DateTimeOffset keepUntil, DateTimeOffset now, bool verified = false, CancellationToken cancellationToken = default) =>
            inner.RevokeSessionAsync(sessionId, keepUntil, now, verified, cancellationToken);

        public Task RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default) =>
            inner.RevokeSubjectAsync(subject, issuedAtOrBefore, keepUntil, cancellationToken);

        public Task<IReadOnlyList<RefreshChainSummary>> ListChainsAsync(string subject, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.ListChainsAsync(subject, now, cancellationToken);
    }

    /// <summary>A store whose rotation answers <c>default</c> without doing anything: a broken custom store.</summary>
    private sealed class ForgetfulStore(ISessionStore inner) : ISessionStore
    {
        public int Rotations { get; private set; }

        public Task CreateChainAsync(RefreshChainRecord chain, RefreshTokenRecord first, CancellationToken cancellationToken = default) => inner.CreateChainAsync(chain, first, cancellationToken);

        public Task<RefreshChainRecord?> FindChainAsync(string chainId, CancellationToken cancellationToken = default) => inner.FindChainAsync(chainId, cancellationToken);

        public Task<RefreshTokenRotation> RotateRefreshTokenAsync(RefreshTokenRotationRequest request, CancellationToken cancellationToken = default)
        {
            Rotations++;
            return Task.FromResult(default(RefreshTokenRotation));
        }

        public Task<bool> RevokeChainAsync(string chainId, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.RevokeChainAsync(chainId, now, cancellationToken);

        public Task<RefreshChainRecord?> RevokeSessionAsync(string sessionId, DateTimeOffset keepUntil, DateTimeOffset now, bool verified = false, CancellationToken cancellationToken = default) =>
            inner.RevokeSessionAsync(sessionId, keepUntil, now, verified, cancellationToken);

        public Task RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default) =>
            inner.RevokeSubjectAsync(subject, issuedAtOrBefore, keepUntil, cancellationToken);

        public Task<IReadOnlyList<RefreshChainSummary>> ListChainsAsync(string subject, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.ListChainsAsync(subject, now, cancellationToken);
    }
}

using Microsoft.Extensions.Time.Testing;

namespace Sessions.Lifecycle.Tests;

/// <summary>
/// A session id leads to the chain that issued it while that session's token or the refresh token issued with it can
/// still be accepted, whether or not the token has expired: the chain's newest session's id (the one ListSessions shows,
/// long after its token expired) as long as the chain can refresh. The Redis store answers the same (its tests of the
/// same name).
/// </summary>
public sealed class RevokeBySessionIdTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_session_revoked_by_id_after_its_token_expired_revokes_its_chain_that_can_still_refresh()
    {
        var (store, clock) = Start();
        using var _ = store;
        await store.CreateChainAsync(new RefreshChainRecord("chain", "user", T0, T0.AddDays(30)), new RefreshTokenRecord("h1", "s1", T0.AddMinutes(15), T0, T0.AddDays(14)));
        clock.Advance(TimeSpan.FromHours(1));

        var revoked = await store.RevokeSessionAsync("s1", clock.GetUtcNow().AddDays(1), clock.GetUtcNow());

        Assert.Equal("chain", revoked?.ChainId);
        var rotation = await store.RotateRefreshTokenAsync(new RefreshTokenRotationRequest("chain", "h1", new RefreshTokenRecord("h2", "s2", clock.GetUtcNow().AddMinutes(15), clock.GetUtcNow(), clock.GetUtcNow().AddDays(14)), "sealed", clock.GetUtcNow(), TimeSpan.FromSeconds(10)));
        Assert.Equal(RefreshTokenRotationStatus.Revoked, rotation.Status);
    }

    [Fact]
    public async Task A_session_id_whose_token_and_refresh_token_have_both_expired_no_longer_leads_to_its_chain()
    {
        // The chain is still kept (until its absolute end) but can never refresh again. The answer does not depend on
        // when the store last purged: the Redis store has no purge to wait for.
        var (store, clock) = Start();
        using var _ = store;
        await store.CreateChainAsync(new RefreshChainRecord("chain", "user", T0, T0.AddDays(30)), new RefreshTokenRecord("h1", "s1", T0.AddMinutes(15), T0, T0.AddHours(1)));
        clock.Advance(TimeSpan.FromHours(2));

        Assert.Null(await store.RevokeSessionAsync("s1", clock.GetUtcNow().AddDays(1), clock.GetUtcNow()));
        Assert.Equal(RevocationStatus.Revoked, store.Check(new Session("user", "s1", clock.GetUtcNow(), null, clock.GetUtcNow().AddHours(1))));
    }

    [Fact]
    public async Task An_older_session_id_whose_token_expired_still_leads_to_its_chain_while_its_refresh_token_can_be_accepted()
    {
        var (store, clock) = Start();
        using var _ = store;
        await store.CreateChainAsync(new RefreshChainRecord("chain", "user", T0, T0.AddDays(30)), new RefreshTokenRecord("h1", "s1", T0.AddMinutes(15), T0, T0.AddDays(14)));
        clock.Advance(TimeSpan.FromMinutes(10));
        var now = clock.GetUtcNow();
        var rotation = await store.RotateRefreshTokenAsync(new RefreshTokenRotationRequest("chain", "h1", new RefreshTokenRecord("h2", "s2", now.AddMinutes(15), now, now.AddDays(14)), "sealed", now, TimeSpan.FromSeconds(10)));
        Assert.Equal(RefreshTokenRotationStatus.Rotated, rotation.Status);
        clock.Advance(TimeSpan.FromHours(1));
        now = clock.GetUtcNow();

        // The device refreshed just before being revoked by the id the account page showed.
        Assert.Equal("chain", (await store.RevokeSessionAsync("s1", now.AddDays(1), now))?.ChainId);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await store.RotateRefreshTokenAsync(new RefreshTokenRotationRequest("chain", "h2", new RefreshTokenRecord("h3", "s3", now.AddMinutes(15), now, now.AddDays(14)), "sealed", now, TimeSpan.FromSeconds(10)))).Status);
    }

    private static (InMemorySessionStore Store, FakeTimeProvider Clock) Start()
    {
        var clock = new FakeTimeProvider(T0);
        return (new InMemorySessionStore(new SessionStoreOptions { PurgeInterval = TimeSpan.FromHours(1) }, clock), clock);
    }
}

using Microsoft.Extensions.Time.Testing;
using Sessions.Redis.Internal;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>
/// A session id leads to the chain that issued it while that session's token or the refresh token issued with it can
/// still be accepted, whether or not the token has expired: the chain's newest session's id (the one ListSessions shows,
/// long after its token expired) as long as the chain can refresh. As in the in-memory store (Sessions.Lifecycle.Tests'
/// tests of the same name).
/// </summary>
[Collection(SharedRedisGroup.Name)]
public sealed class RevokeBySessionIdTests(SharedRedis redis)
{
    private const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [Fact]
    public async Task A_session_revoked_by_id_after_its_token_expired_revokes_its_chain_that_can_still_refresh()
    {
        // Real time, as an account page lists a device by its newest session long after that session's token expired.
        await using var instance = await StartWithOneSecondSessionsAsync();
        var issued = await instance.Lifecycle.IssueWithRefreshTokenAsync(User);
        await WaitUntilExpiredAsync(instance, issued.Session);
        Assert.Single(await instance.Lifecycle.ListSessionsAsync(User));

        await instance.Lifecycle.RevokeSessionAsync(issued.Session.SessionId.ToString("D"));

        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await instance.Lifecycle.RefreshAsync(issued.RefreshToken)).Status);
        Assert.Empty(await instance.Lifecycle.ListSessionsAsync(User));
    }

    [Fact]
    public async Task An_older_session_id_whose_token_expired_still_leads_to_its_chain_while_its_refresh_token_can_be_accepted()
    {
        // The device refreshed just before being revoked by the id the account page showed.
        await using var instance = await StartWithOneSecondSessionsAsync();
        var issued = await instance.Lifecycle.IssueWithRefreshTokenAsync(User);
        var refreshed = await instance.RefreshAsync(issued.RefreshToken);
        await WaitUntilExpiredAsync(instance, issued.Session);

        await instance.Lifecycle.RevokeSessionAsync(issued.Session.SessionId.ToString("D"));

        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await instance.Lifecycle.RefreshAsync(refreshed.RefreshToken)).Status);
    }

    [Fact]
    public async Task A_session_id_whose_token_and_refresh_token_have_both_expired_no_longer_leads_to_its_chain()
    {
        // The chain is still kept (until its absolute end) but can never refresh again; the store's clock says so,
        // whatever Redis' own clock says of its keys.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), time);
        var issued = await instance.Lifecycle.IssueWithRefreshTokenAsync(User);
        time.Advance(issued.RefreshExpiresAt - time.GetUtcNow() + TimeSpan.FromMinutes(1));
        var now = time.GetUtcNow();

        Assert.Null(await instance.Store.RevokeSessionAsync(issued.Session.SessionId.ToString("D"), now.AddDays(1), now));
        Assert.Equal(RevocationStatus.Revoked, instance.Store.Check(new Session(User, issued.Session.SessionId.ToString("D"), now, null, now.AddHours(1))));
    }

    [Fact]
    public async Task A_token_the_chain_forgets_to_stay_within_its_cap_takes_its_sessions_pointer_with_it()
    {
        // Pointers live as long as their refresh tokens (14 days); a chain refreshed far more often than that must not
        // leave one behind per refresh: it keeps no more than the tokens it remembers (MaxRefreshTokensPerChain).
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var prefix = SharedRedis.NewPrefix();
        await using var instance = await Instance.StartAsync(
            redis.Configuration, prefix, time, storeOptions: o => o.MaxRefreshTokensPerChain = 2, jwtOptions: o => o.Lifetime = TimeSpan.FromMinutes(1));
        var issued = await instance.Lifecycle.IssueWithRefreshTokenAsync(User);
        var refreshed = await instance.RefreshAsync(issued.RefreshToken);
        time.Advance(TimeSpan.FromMinutes(5));   // the first session has expired, its refresh token was used past the grace period
        await instance.RefreshAsync(refreshed.RefreshToken);   // two tokens remembered already: the first is forgotten

        var keys = new RedisKeys(prefix);
        var shard = RedisKeys.ShardOfChain(issued.ChainId);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var database = connection.GetDatabase();
        Assert.True(await database.KeyExistsAsync(keys.Pointer(shard, refreshed.Session.SessionId.ToString("D"))), "a remembered token's session keeps its pointer");
        await Poll.UntilAsync(
            async () => !await database.KeyExistsAsync(keys.Pointer(shard, issued.Session.SessionId.ToString("D"))),
            TimeSpan.FromSeconds(10),
            "the forgotten token's session has no pointer left");
        Assert.Null(await instance.Store.RevokeSessionAsync(issued.Session.SessionId.ToString("D"), time.GetUtcNow().AddDays(1), time.GetUtcNow()));
    }

    private Task<Instance> StartWithOneSecondSessionsAsync() =>
        Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), jwtOptions: o =>
        {
            o.Lifetime = TimeSpan.FromSeconds(1);
            o.ClockSkew = TimeSpan.Zero;
        });

    // Until the session's token is refused as expired and whatever Redis kept for the session alone (with its
    // lifetime, from when it was written) has expired too.
    private async Task WaitUntilExpiredAsync(Instance instance, IssuedSession session)
    {
        await Poll.UntilAsync(async () => await instance.ValidateAsync(session.Token) == SessionFailureReason.Expired, TimeSpan.FromSeconds(30), "the session's token has expired");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var server = connection.GetServer(connection.GetEndPoints().Single());
        await Poll.UntilAsync(async () => await server.TimeAsync() > session.ExpiresAt.UtcDateTime.AddSeconds(1), TimeSpan.FromSeconds(30), "Redis' clock is a second past the session's expiry");
    }
}

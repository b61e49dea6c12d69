using Microsoft.Extensions.Time.Testing;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>
/// A session id leads to the chain that issued it while that session's token can be accepted, and the chain's newest
/// session's id (the one ListSessions shows) as long as the chain can refresh, whether or not its token has expired, as
/// in the in-memory store (Sessions.Lifecycle.Tests' tests of the same name).
/// </summary>
[Collection(SharedRedisGroup.Name)]
public sealed class RevokeBySessionIdTests(SharedRedis redis)
{
    private const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [Fact]
    public async Task A_session_revoked_by_id_after_its_token_expired_revokes_its_chain_that_can_still_refresh()
    {
        // Real time, as an account page lists a device by its newest session long after that session's token expired.
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), jwtOptions: o =>
        {
            o.Lifetime = TimeSpan.FromSeconds(1);
            o.ClockSkew = TimeSpan.Zero;
        });
        var issued = await instance.Lifecycle.IssueWithRefreshTokenAsync(User);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var server = connection.GetServer(connection.GetEndPoints().Single());
        await Poll.UntilAsync(async () => await instance.ValidateAsync(issued.Session.Token) == SessionFailureReason.Expired, TimeSpan.FromSeconds(30), "the session's token has expired");

        // Whatever Redis kept for the session alone (with its lifetime, from when it was written) has expired by then.
        await Poll.UntilAsync(async () => await server.TimeAsync() > issued.Session.ExpiresAt.UtcDateTime.AddSeconds(1), TimeSpan.FromSeconds(30), "Redis' clock is a second past the session's expiry");
        Assert.Single(await instance.Lifecycle.ListSessionsAsync(User));

        await instance.Lifecycle.RevokeSessionAsync(issued.Session.SessionId.ToString("D"));

        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await instance.Lifecycle.RefreshAsync(issued.RefreshToken)).Status);
        Assert.Empty(await instance.Lifecycle.ListSessionsAsync(User));
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
    public async Task An_older_session_id_whose_token_expired_no_longer_leads_to_its_chain_the_newest_does()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), time);
        var issued = await instance.Lifecycle.IssueWithRefreshTokenAsync(User);
        time.Advance(TimeSpan.FromMinutes(10));
        var refreshed = await instance.RefreshAsync(issued.RefreshToken);
        time.Advance(refreshed.Session.ExpiresAt - time.GetUtcNow() + TimeSpan.FromMinutes(1));
        var now = time.GetUtcNow();

        Assert.Null(await instance.Store.RevokeSessionAsync(issued.Session.SessionId.ToString("D"), now.AddDays(1), now));
        Assert.Equal(issued.ChainId, (await instance.Store.RevokeSessionAsync(refreshed.Session.SessionId.ToString("D"), now.AddDays(1), now))?.ChainId);
    }

    [Fact]
    public async Task Redis_keeps_the_pointer_of_a_replaced_session_only_as_long_as_that_session()
    {
        // Only the chain's newest session leads to it beyond its own expiry: a chain refreshed every few minutes must not
        // leave one pointer per session behind for the refresh token's lifetime (14 days).
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix());
        var issued = await instance.Lifecycle.IssueWithRefreshTokenAsync(User);
        var refreshed = await instance.RefreshAsync(issued.RefreshToken);

        // Read on the store's own connection, after the refresh's commands.
        var database = instance.Store.Connection!.GetDatabase();
        var shard = Internal.RedisKeys.ShardOfChain(issued.ChainId);
        var replaced = await database.KeyTimeToLiveAsync(instance.Store.Keys.Pointer(shard, issued.Session.SessionId.ToString("D")));
        var newest = await database.KeyTimeToLiveAsync(instance.Store.Keys.Pointer(shard, refreshed.Session.SessionId.ToString("D")));
        // A session is kept for its lifetime plus the validator's clock skew (30 s); a minute covers it.
        var session = issued.Session.ExpiresAt - issued.Session.IssuedAt + TimeSpan.FromMinutes(1);
        Assert.InRange(replaced!.Value, TimeSpan.FromMilliseconds(1), session);
        Assert.True(newest > session, $"The newest session's pointer lasts {newest}, not as long as its refresh token.");
    }
}

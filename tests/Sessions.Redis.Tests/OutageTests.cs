using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>A dedicated Redis killed and restarted mid-test, under two session-server instances.</summary>
public sealed class OutageTests
{
    [Fact]
    public async Task Redis_outage_keeps_known_revocations_fails_writes_as_unavailable_and_recovers_by_itself_without_loss()
    {
        await using var redis = await RedisProcess.StartAsync();
        var prefix = SharedRedis.NewPrefix();
        Action<RedisSessionStoreOptions> tolerance = o => o.StalenessTolerance = TimeSpan.FromSeconds(2);
        await using var a = await SessionServer.StartAsync(redis.Configuration, prefix, tolerance);
        await using var b = await SessionServer.StartAsync(redis.Configuration, prefix, tolerance);

        var revoked = await a.CreateAsync();
        var kept = await a.CreateAsync(withRefreshToken: true);
        await a.Client.RevokeAsync(new RevokeSessionRequest { SessionId = revoked.SessionId });
        await Poll.UntilAsync(async () => (await b.ValidateAsync(revoked.Token)).Reason == "revoked", TimeSpan.FromSeconds(1), "B sees the revocation");

        await redis.KillAsync();

        // Writes fail at once, clearly, and nothing crashes.
        var revoke = await Assert.ThrowsAsync<RpcException>(() => a.Client.RevokeAsync(new RevokeSessionRequest { SessionId = kept.SessionId }).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, revoke.StatusCode);
        Assert.Contains("session store is unavailable", revoke.Status.Detail, StringComparison.Ordinal);
        var refresh = await Assert.ThrowsAsync<RpcException>(() => b.RefreshAsync(kept.RefreshToken));
        Assert.Equal(StatusCode.Unavailable, refresh.StatusCode);
        var create = await Assert.ThrowsAsync<RpcException>(() => a.CreateAsync(withRefreshToken: true));
        Assert.Equal(StatusCode.Unavailable, create.StatusCode);
        Assert.True((await a.CreateAsync()).Valid);

        // Known revocations stay in force; after the tolerance, unknown sessions are refused as unavailable (Reject).
        Assert.Equal((StatusCode.InvalidArgument, "revoked"), await b.ValidateAsync(revoked.Token));
        await Poll.UntilAsync(async () => (await b.ValidateAsync(kept.Token)).Code == StatusCode.Unavailable, TimeSpan.FromSeconds(10), "B refuses unknown sessions as unavailable");
        Assert.Equal((StatusCode.InvalidArgument, "revoked"), await b.ValidateAsync(revoked.Token));

        await redis.RestartAsync();

        // Recovery by itself: reconnect, reload, and everything written before the outage is still there.
        await Poll.UntilAsync(async () => (await b.ValidateAsync(kept.Token)).Code == StatusCode.OK, TimeSpan.FromSeconds(30), "B recovers");
        await Poll.UntilAsync(async () => (await a.ValidateAsync(kept.Token)).Code == StatusCode.OK, TimeSpan.FromSeconds(30), "A recovers");
        Assert.Equal((StatusCode.InvalidArgument, "revoked"), await b.ValidateAsync(revoked.Token));
        var refreshed = await b.RefreshAsync(kept.RefreshToken);
        Assert.True(refreshed.Valid);
        await using (var c = await SessionServer.StartAsync(redis.Configuration, prefix))
        {
            Assert.Equal((StatusCode.InvalidArgument, "revoked"), await c.ValidateAsync(revoked.Token));
        }

        await a.Client.RevokeAsync(new RevokeSessionRequest { Token = refreshed.Token });
        await Poll.UntilAsync(async () => (await b.ValidateAsync(refreshed.Token)).Reason == "revoked", TimeSpan.FromSeconds(1), "B sees a revocation made after the outage");
    }
}

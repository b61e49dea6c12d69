using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>The store's health check on real Redis: one without replica, a cluster, and one that goes away.</summary>
public sealed class HealthCheckTests
{
    private static Task<HealthCheckResult> CheckAsync(Instance instance) =>
        new RedisSessionStoreHealthCheck(instance.Store).CheckHealthAsync(new HealthCheckContext());

    [Fact]
    public async Task A_primary_without_replica_is_degraded_and_an_unreachable_one_becomes_unhealthy_without_naming_its_password()
    {
        await using var redis = await RedisProcess.StartAsync(password: "health-test-password-0123456789");
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), redisOptions: o => o.StalenessTolerance = TimeSpan.FromSeconds(3));

        // The check gives ROLE 500 ms; on a loaded machine a fresh Redis may miss that once ("did not answer", also
        // Degraded), so the check is asked again until it has seen the primary's role.
        HealthCheckResult alone = default;
        await Poll.UntilAsync(async () => (alone = await CheckAsync(instance)).Description?.Contains("has no replica", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(10), "the check reports the primary without replica");
        Assert.Equal(HealthStatus.Degraded, alone.Status);

        await redis.KillAsync();
        await Poll.UntilAsync(async () => (await CheckAsync(instance)).Status == HealthStatus.Unhealthy, TimeSpan.FromSeconds(10), "the check reports the lost Redis as unhealthy");
        var lost = await CheckAsync(instance);
        Assert.Contains($"127.0.0.1:{redis.Port}", lost.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(redis.Password!, lost.Description, StringComparison.Ordinal);

        await redis.RestartAsync();
        await Poll.UntilAsync(async () => (await CheckAsync(instance)).Status == HealthStatus.Degraded, TimeSpan.FromSeconds(30), "the check recovers");
    }

    [Fact]
    public async Task A_revocations_connection_that_cannot_reconnect_makes_the_check_degraded_while_revocations_fail()
    {
        // Revocations have a connection of their own (for WAIT). Here it is cut, and Redis refuses new connections
        // (maxclients reached), while the connection the log is read on stays up: validation is still correct, but every
        // revocation fails, and the check must say so rather than Healthy.
        await using var redis = await RedisPrimaryWithReplica.StartAsync();
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix());
        await Poll.UntilAsync(async () => (await CheckAsync(instance)).Status == HealthStatus.Healthy, TimeSpan.FromSeconds(10), "the check is healthy at first");
        var created = await instance.Lifecycle.IssueWithRefreshTokenAsync("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

        await using (await RevocationsConnectionCut.StartAsync(instance.Store, redis.Primary))
        {
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => instance.Lifecycle.RevokeSessionAsync(created.Session.SessionId.ToString("D")));

            var cut = await CheckAsync(instance);
            Assert.Equal(HealthStatus.Degraded, cut.Status);
            Assert.Contains($"revocations' connection to Redis primary 127.0.0.1:{redis.Primary.Port}", cut.Description, StringComparison.Ordinal);
        }

        await Poll.UntilAsync(async () => (await CheckAsync(instance)).Status == HealthStatus.Healthy, TimeSpan.FromSeconds(30), "the check is healthy again once the connection is back");
        await instance.Lifecycle.RevokeSessionAsync(created.Session.SessionId.ToString("D"));
    }

    [Fact]
    public async Task Revocations_that_a_frozen_replica_does_not_acknowledge_make_the_check_degraded_until_one_is_acknowledged()
    {
        // A replica that hangs (frozen, still listed by its primary) fails every revocation after
        // ReplicaAcknowledgementTimeout, while the log is read as always: the check must not stay Healthy.
        await using var redis = await RedisPrimaryWithReplica.StartAsync();
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), redisOptions: o => o.ReplicaAcknowledgementTimeout = TimeSpan.FromMilliseconds(200));
        await Poll.UntilAsync(async () => (await CheckAsync(instance)).Status == HealthStatus.Healthy, TimeSpan.FromSeconds(10), "the check is healthy at first");
        var created = await instance.Lifecycle.IssueWithRefreshTokenAsync("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

        await redis.Replica.SignalAsync("STOP");
        try
        {
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => instance.Lifecycle.RevokeSessionAsync(created.Session.SessionId.ToString("D")));
            var lagging = await CheckAsync(instance);
            Assert.Equal(HealthStatus.Degraded, lagging.Status);
            Assert.Contains($"Replicas of Redis primary 127.0.0.1:{redis.Primary.Port} did not acknowledge a revocation within 200 ms", lagging.Description, StringComparison.Ordinal);
        }
        finally
        {
            await redis.Replica.SignalAsync("CONT");
        }

        // The retry is acknowledged once the replica is back, and that ends it.
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await instance.Lifecycle.RevokeSessionAsync(created.Session.SessionId.ToString("D"));
                    return true;
                }
                catch (SessionStoreUnavailableException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            "a revocation is acknowledged again");
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(instance)).Status);
    }

    [Fact]
    public async Task A_password_Redis_refuses_while_running_is_logged_and_reported_as_refused_not_as_an_unanswering_Redis()
    {
        // Before, the store logged "did not answer (RedisConnectionException, failure UnableToResolvePhysicalConnection)"
        // and the check said Redis "has not answered", though Redis answered and refused the login.
        await using var redis = await RedisProcess.StartAsync(password: "running-right-password-0123456789");
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), redisOptions: o => o.StalenessTolerance = TimeSpan.FromSeconds(20));
        var created = await instance.Lifecycle.IssueWithRefreshTokenAsync("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

        await using (var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true"))
        {
            var server = admin.GetServer(admin.GetEndPoints().Single());
            await server.ExecuteAsync("CONFIG", "SET", "requirepass", "running-changed-password-0123456789");
            await server.ExecuteAsync("CLIENT", "KILL", "TYPE", "normal");
        }

        HealthCheckResult check = default;
        await Poll.UntilAsync(async () => (check = await CheckAsync(instance)).Description?.Contains("refused the password", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(15), "the check says Redis refused the password");
        Assert.Equal(HealthStatus.Degraded, check.Status);
        Assert.Contains($"Redis 127.0.0.1:{redis.Port} refused the password of RedisSessionStoreOptions.Configuration", check.Description, StringComparison.Ordinal);

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => instance.Lifecycle.RefreshAsync(created.RefreshToken));
        var lines = instance.Log.Lines.ToList();
        Assert.Contains(lines, l => l.StartsWith("Warning PasswordRefused:", StringComparison.Ordinal) && l.Contains($"Redis 127.0.0.1:{redis.Port} refused the password of RedisSessionStoreOptions.Configuration", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("StoreUnavailable", StringComparison.Ordinal) && l.Contains("refused the password", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("password-0123456789", StringComparison.Ordinal));
        Assert.DoesNotContain("password-0123456789", check.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_replica_acknowledgements_than_a_primary_has_replicas_are_logged_once_and_make_the_check_degraded()
    {
        // Before, 3 asked of a primary with one replica were silently capped at 1: revocations answered OK after one
        // replica, the check said Healthy and nothing was logged.
        await using var redis = await RedisPrimaryWithReplica.StartAsync();
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), redisOptions: o => o.ReplicaAcknowledgements = 3);
        var primary = $"127.0.0.1:{redis.Primary.Port}";

        // Still acknowledged by the replica there is: revocations succeed, as many times as asked.
        for (var i = 0; i < 3; i++)
        {
            var created = await instance.Lifecycle.IssueWithRefreshTokenAsync("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
            await instance.Lifecycle.RevokeSessionAsync(created.Session.SessionId.ToString("D"));
        }

        var warning = Assert.Single(instance.Log.Lines, l => l.Contains("FewerReplicasThanAcknowledgements", StringComparison.Ordinal));
        Assert.StartsWith("Warning ", warning, StringComparison.Ordinal);
        Assert.Contains($"RedisSessionStoreOptions.ReplicaAcknowledgements is 3 but Redis primary {primary} has 1 replica", warning, StringComparison.Ordinal);

        HealthCheckResult check = default;
        await Poll.UntilAsync(async () => (check = await CheckAsync(instance)).Description?.Contains("ReplicaAcknowledgements", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(10), "the check reports the primary with too few replicas");
        Assert.Equal(HealthStatus.Degraded, check.Status);
        Assert.Contains($"RedisSessionStoreOptions.ReplicaAcknowledgements is 3 but Redis primary {primary} has 1 replica", check.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_replica_acknowledgements_asked_for_a_single_primary_is_healthy()
    {
        await using var redis = await RedisProcess.StartAsync();
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), redisOptions: o => o.ReplicaAcknowledgements = 0);

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(instance)).Status);
    }
}

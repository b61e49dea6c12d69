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
    public async Task Without_replica_acknowledgements_asked_for_a_single_primary_is_healthy()
    {
        await using var redis = await RedisProcess.StartAsync();
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), redisOptions: o => o.ReplicaAcknowledgements = 0);

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(instance)).Status);
    }
}

using System.Net;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>A dedicated Redis Cluster per test, whose primary is killed or frozen mid-test.</summary>
public sealed class FailoverTests
{
    private const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [Fact]
    public async Task Revocations_acknowledged_before_their_primary_is_killed_survive_the_failover()
    {
        await using var cluster = await RedisCluster.StartAsync();
        var prefix = SharedRedis.NewPrefix();
        await using var a = await Instance.StartAsync(cluster.Configuration, prefix);
        await using var b = await Instance.StartAsync(cluster.Configuration, prefix);
        var sessions = new List<RefreshTokenIssued>();
        for (var i = 0; i < 50; i++)
        {
            sessions.Add(await a.Lifecycle.IssueWithRefreshTokenAsync(User));
        }

        foreach (var session in sessions)
        {
            await b.Lifecycle.RevokeSessionAsync(session.Session.SessionId.ToString("D"));
        }

        // kill -9 the primary holding the user's chains and their revocations; its replica takes over.
        var primary = await PrimaryOfAsync(cluster, a.Store.Keys.SubjectChains(User));
        await primary.KillAsync();
        await RedisCluster.WaitUntilHealthyPrimariesAsync(cluster.Configuration, primary.Port, TimeSpan.FromSeconds(30));

        // b made the revocations and holds them at once. a learns them from the revocation log, which it reads every
        // poll interval: the last of them may reach it only from the promoted replica, once the failover is done.
        foreach (var session in sessions)
        {
            Assert.Equal(SessionFailureReason.Revoked, await b.ValidateAsync(session.Session.Token));
        }

        foreach (var session in sessions)
        {
            await Poll.UntilAsync(
                async () => await a.ValidateAsync(session.Session.Token) == SessionFailureReason.Revoked,
                TimeSpan.FromSeconds(10),
                "the other instance has read the revocation from the promoted replica");
        }

        // A fresh instance started after the failover replays the log from the promoted replica: all 50 are there.
        await using var fresh = await Instance.StartAsync(cluster.Configuration, prefix);
        await Poll.UntilAsync(() => Task.FromResult(fresh.Store.IsCurrent), TimeSpan.FromSeconds(30), "the fresh instance has read the revocation log");
        foreach (var session in sessions)
        {
            Assert.Equal(SessionFailureReason.Revoked, await fresh.ValidateAsync(session.Session.Token));
            Assert.Equal(RefreshTokenRotationStatus.Revoked, (await fresh.Lifecycle.RefreshAsync(session.RefreshToken)).Status);
        }

        // Create and Refresh work again by themselves, within seconds.
        RefreshTokenIssued? created = null;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    created = await a.Lifecycle.IssueWithRefreshTokenAsync(User);
                    return true;
                }
                catch (SessionStoreUnavailableException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            "Create works again");
        var refreshed = await b.RefreshAsync(created!.RefreshToken);
        Assert.Equal(SessionFailureReason.None, await fresh.ValidateAsync(refreshed.Session.Token));
    }

    [Fact]
    public async Task A_revocation_no_replica_acknowledges_in_time_fails_as_unavailable_and_succeeds_on_retry()
    {
        await using var cluster = await RedisCluster.StartAsync();
        var prefix = SharedRedis.NewPrefix();
        await using var a = await Instance.StartAsync(cluster.Configuration, prefix, redisOptions: o => o.ReplicaAcknowledgementTimeout = TimeSpan.FromMilliseconds(200));
        var created = await a.Lifecycle.IssueWithRefreshTokenAsync(User);
        var replica = await ReplicaOfAsync(cluster, a.Store.Keys.SubjectChains(User));

        await replica.SignalAsync("STOP");
        try
        {
            var failure = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => a.Lifecycle.RevokeSubjectAsync(User));
            Assert.Equal(RedisSessionStore.UnavailableMessage, failure.Message);

            // Every revocation fails while the replica lags: the first is logged, the others are counted for the next
            // line (at most one per 10 s) rather than a warning each. Two more, so that the replica stays stopped for
            // less than the cluster's node timeout (1 s) and is not failed over.
            for (var i = 0; i < 2; i++)
            {
                await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => a.Lifecycle.RevokeSubjectAsync(User));
            }

            Assert.Single(a.Log.Lines, l => l.Contains("ReplicaTimeout", StringComparison.Ordinal));
        }
        finally
        {
            await replica.SignalAsync("CONT");
        }

        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await a.Lifecycle.RevokeSubjectAsync(User);
                    return true;
                }
                catch (SessionStoreUnavailableException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            "the revocation is acknowledged once the replica is back");
        Assert.Equal(SessionFailureReason.Revoked, await a.ValidateAsync(created.Session.Token));
    }

    internal static async Task<RedisProcess> PrimaryOfAsync(RedisCluster cluster, RedisKey key)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(cluster.Configuration);
        return NodeAt(cluster, connection.GetServer(key, flags: CommandFlags.DemandMaster).EndPoint);
    }

    internal static async Task<RedisProcess> ReplicaOfAsync(RedisCluster cluster, RedisKey key)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(cluster.Configuration);
        var primary = connection.GetServer(key, flags: CommandFlags.DemandMaster);

        // A primary lists its replica once the replica has connected to it, which can come a moment after the
        // cluster reports itself healthy: CI saw an empty list once.
        Role.Master.Replica? replica = null;
        await Poll.UntilAsync(
            async () =>
            {
                replica = ((Role.Master)await primary.RoleAsync()).Replicas.SingleOrDefault();
                return replica is not null;
            },
            TimeSpan.FromSeconds(30),
            $"{primary.EndPoint} lists its replica");
        return cluster.Nodes.SingleOrDefault(n => n.Port == replica!.Value.Port) ?? throw new InvalidOperationException($"{primary.EndPoint} has replica {replica}, not one of {string.Join(",", cluster.Nodes.Select(n => n.Port))}.");
    }

    private static RedisProcess NodeAt(RedisCluster cluster, EndPoint endPoint) =>
        cluster.Nodes.Single(n => n.Port == endPoint switch { IPEndPoint ip => ip.Port, DnsEndPoint dns => dns.Port, _ => -1 });
}

using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>
/// A revocation waits for a replica (<c>WAIT</c>), which blocks the connection it runs on: the instance's other commands
/// to that primary must not queue behind it. Each test has a Redis of its own, whose replica it freezes.
/// </summary>
public sealed class RevocationWaitTests
{
    private const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    // Long enough that the revocation is still waiting whatever the load of the machine while the test's other
    // commands run: they must not need it to end. The replica is let go before it does.
    private static readonly TimeSpan AcknowledgementTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_revocation_waiting_for_a_frozen_replica_does_not_hold_up_the_instances_other_commands()
    {
        await using var redis = await RedisPrimaryWithReplica.StartAsync();
        await using var a = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), redisOptions: o => o.ReplicaAcknowledgementTimeout = AcknowledgementTimeout);
        await AssertOtherCommandsPassTheWaitAsync(a, redis.Primary, redis.Replica);
    }

    [Fact]
    public async Task A_revocation_waiting_for_a_frozen_replica_does_not_hold_up_the_instances_other_commands_on_a_cluster()
    {
        await using var cluster = await RedisCluster.StartAsync();
        await using var a = await Instance.StartAsync(cluster.Configuration, SharedRedis.NewPrefix(), redisOptions: o => o.ReplicaAcknowledgementTimeout = AcknowledgementTimeout);
        var key = a.Store.Keys.SubjectChains(User);
        await AssertOtherCommandsPassTheWaitAsync(a, await FailoverTests.PrimaryOfAsync(cluster, key), await FailoverTests.ReplicaOfAsync(cluster, key));
    }

    [Fact]
    public async Task A_reuse_detected_while_the_replica_is_frozen_fails_as_unavailable()
    {
        // Reuse detection revokes the chain in the refresh's own script, on the connection every command shares; the
        // revocation must still wait for the replica, and fail as unavailable when it does not acknowledge.
        await using var redis = await RedisPrimaryWithReplica.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), time, o => o.ReplicaAcknowledgementTimeout = TimeSpan.FromMilliseconds(200));
        var created = await a.Lifecycle.IssueWithRefreshTokenAsync(User);
        await a.RefreshAsync(created.RefreshToken);
        time.Advance(TimeSpan.FromSeconds(11));

        await redis.Replica.SignalAsync("STOP");
        try
        {
            var failure = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => a.Lifecycle.RefreshAsync(created.RefreshToken));
            Assert.Equal(RedisSessionStore.UnavailableMessage, failure.Message);
        }
        finally
        {
            await redis.Replica.SignalAsync("CONT");
        }

        Assert.Single(a.Log.Lines, l => l.Contains("ReplicaTimeout", StringComparison.Ordinal));
        Assert.Equal(SessionFailureReason.Revoked, await a.ValidateAsync(created.Session.Token));
    }

    [Fact]
    public async Task A_sign_in_that_a_revocation_of_all_sessions_overtook_waits_for_the_replica_too()
    {
        // The sign-in read its clock before the user's RevokeAll, which reached the store first: its Create stores the
        // chain revoked, in its own script on the connection every command shares, and must still wait for the replica.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var redis = await RedisPrimaryWithReplica.StartAsync();
        var prefix = SharedRedis.NewPrefix();
        await using var revoker = await Instance.StartAsync(redis.Configuration, prefix, new FakeTimeProvider(time.GetUtcNow() + TimeSpan.FromMinutes(1)));
        await using var a = await Instance.StartAsync(redis.Configuration, prefix, time, o => o.ReplicaAcknowledgementTimeout = TimeSpan.FromMilliseconds(200));
        await revoker.Lifecycle.RevokeSubjectAsync(User);

        await redis.Replica.SignalAsync("STOP");
        try
        {
            var failure = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => a.Lifecycle.IssueWithRefreshTokenAsync(User));
            Assert.Equal(RedisSessionStore.UnavailableMessage, failure.Message);
        }
        finally
        {
            await redis.Replica.SignalAsync("CONT");
        }

        Assert.Single(a.Log.Lines, l => l.Contains("ReplicaTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revocations_written_while_a_wait_runs_share_the_next_one()
    {
        // WAIT blocks its connection on the primary: revocations whose writes arrive while one runs are answered only
        // after it anyway. Each then ran a WAIT of its own, one after the other, so a burst of revocations against a
        // lagging replica took one timeout per revocation; the writes that waited together now share one WAIT.
        await using var redis = await RedisPrimaryWithReplica.StartAsync();
        await using var a = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), redisOptions: o => o.ReplicaAcknowledgementTimeout = TimeSpan.FromSeconds(2));
        var sessions = new List<IssuedSession>();
        for (var i = 0; i < 6; i++)
        {
            sessions.Add((await a.Lifecycle.IssueWithRefreshTokenAsync(User)).Session);
        }

        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Primary.Configuration + ",allowAdmin=true");
        var server = admin.GetServer("127.0.0.1", redis.Primary.Port);
        await server.ExecuteAsync("CONFIG", "RESETSTAT");
        var revocations = new List<Task>();
        await redis.Replica.SignalAsync("STOP");
        try
        {
            revocations.Add(a.Lifecycle.RevokeSessionAsync(sessions[0].SessionId.ToString("D")));
            await Poll.UntilAsync(() => IsWaitBlockedAsync(server), TimeSpan.FromSeconds(30), "the first revocation waits for the frozen replica");
            revocations.AddRange(sessions.Skip(1).Select(s => a.Lifecycle.RevokeSessionAsync(s.SessionId.ToString("D"))));
            foreach (var revocation in revocations)
            {
                await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => revocation);
            }
        }
        finally
        {
            await redis.Replica.SignalAsync("CONT");
        }

        // The first revocation's WAIT, then one or two for the five others (one WAIT each before): those whose writes
        // were answered before the first had been seen to end share the next, and the others the one after.
        Assert.InRange(await WaitCallsAsync(server), 2, 3);
        foreach (var session in sessions)
        {
            Assert.Equal(SessionFailureReason.Revoked, await a.ValidateAsync(session.Token));
        }
    }

    [Fact]
    public async Task Revocations_made_at_once_all_survive_the_loss_of_their_primary()
    {
        await using var redis = await RedisPrimaryWithReplica.StartAsync();
        var prefix = SharedRedis.NewPrefix();
        var sessions = new List<IssuedSession>();
        await using (var a = await Instance.StartAsync(redis.Configuration, prefix))
        {
            for (var i = 0; i < 40; i++)
            {
                sessions.Add((await a.Lifecycle.IssueWithRefreshTokenAsync(Guid.NewGuid().ToString("D"))).Session);
            }

            await Task.WhenAll(sessions.Select(s => a.Lifecycle.RevokeSessionAsync(s.SessionId.ToString("D"))));
        }

        // Acknowledged, so on the replica: the primary is lost at once and the replica takes over.
        await redis.Primary.KillAsync();
        await using (var promote = await ConnectionMultiplexer.ConnectAsync(redis.Replica.Configuration + ",allowAdmin=true"))
        {
            await promote.GetServer("127.0.0.1", redis.Replica.Port).ExecuteAsync("REPLICAOF", "NO", "ONE");
        }

        await using var fresh = await Instance.StartAsync(redis.Replica.Configuration, prefix);
        foreach (var session in sessions)
        {
            Assert.Equal(SessionFailureReason.Revoked, await fresh.ValidateAsync(session.Token));
        }
    }

    [Fact]
    public async Task The_revocations_connection_is_opened_only_when_replicas_are_waited_for_and_closed_with_the_store()
    {
        await using var redis = await RedisProcess.StartAsync();
        await using (var alone = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), redisOptions: o => o.ReplicaAcknowledgements = 0))
        {
            Assert.Null(alone.Store.RevocationConnection);
        }

        var waiting = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix());
        var connection = waiting.Store.RevocationConnection;
        Assert.NotNull(connection);
        Assert.NotSame(waiting.Store.Connection, connection);
        await waiting.DisposeAsync();
        Assert.False(connection.IsConnected);
    }

    private static async Task AssertOtherCommandsPassTheWaitAsync(Instance a, RedisProcess primary, RedisProcess replica)
    {
        // Three chains of one user, so that every command below goes to the primary the revocation waits on.
        var revoked = await a.Lifecycle.IssueWithRefreshTokenAsync(User);
        var refreshed = await a.Lifecycle.IssueWithRefreshTokenAsync(User);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(primary.Configuration + ",allowAdmin=true");
        var server = admin.GetServer("127.0.0.1", primary.Port);

        Task revoke;
        await replica.SignalAsync("STOP");
        try
        {
            revoke = a.Lifecycle.RevokeSessionAsync(revoked.Session.SessionId.ToString("D"));
            await Poll.UntilAsync(() => IsWaitBlockedAsync(server), TimeSpan.FromSeconds(30), "the revocation waits for the frozen replica");

            // The revocation log's read (what Validate's revocation checks rest on), a Create and a Refresh of the same
            // instance, on the same primary, while the revocation still waits.
            var others = Task.WhenAll(
                a.Store.SynchronizeAsync(),
                a.Lifecycle.IssueWithRefreshTokenAsync(User),
                a.RefreshAsync(refreshed.RefreshToken));
            Assert.Same(others, await Task.WhenAny(others, revoke));
            await others;
            Assert.False(revoke.IsCompleted, "The revocation ended before the other commands: they waited for it.");
            Assert.True(await IsWaitBlockedAsync(server), "The primary no longer holds the revocation's WAIT: the other commands waited for it.");
        }
        finally
        {
            await replica.SignalAsync("CONT");
        }

        // Once the replica is back it acknowledges, and the revocation answers as always.
        await revoke;
        Assert.Equal(SessionFailureReason.Revoked, await a.ValidateAsync(revoked.Session.Token));
        Assert.DoesNotContain(a.Log.Lines, l => l.Contains("ReplicaTimeout", StringComparison.Ordinal));
    }

    private static async Task<long> WaitCallsAsync(IServer primary)
    {
        var stats = (await primary.InfoAsync("commandstats")).SelectMany(static g => g).FirstOrDefault(static p => p.Key == "cmdstat_wait").Value;
        return stats is null ? 0 : long.Parse(stats.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture);
    }

    private static async Task<bool> IsWaitBlockedAsync(IServer primary) =>
        (await primary.ClientListAsync()).Any(static c => c.LastCommand == "wait" && c.Flags.HasFlag(ClientFlags.Blocked));
}

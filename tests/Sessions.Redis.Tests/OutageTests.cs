using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Sessions.Grpc.Protocol;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>A dedicated Redis killed and restarted mid-test, under two session-server instances.</summary>
public sealed class OutageTests
{
    private const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [Fact]
    public async Task Redis_outage_keeps_known_revocations_fails_writes_with_a_fixed_message_and_recovers_by_itself()
    {
        await using var redis = await RedisProcess.StartAsync(password: "outage-test-password-0123456789");
        var prefix = SharedRedis.NewPrefix();
        Action<RedisSessionStoreOptions> tolerance = o => o.StalenessTolerance = TimeSpan.FromSeconds(2);
        await using var a = await Instance.StartAsync(redis.Configuration, prefix, redisOptions: tolerance);
        await using var b = await Instance.StartAsync(redis.Configuration, prefix, redisOptions: tolerance);

        var revoked = await a.Lifecycle.IssueWithRefreshTokenAsync(User);
        var kept = await a.Lifecycle.IssueWithRefreshTokenAsync(User);
        await a.Lifecycle.RevokeSessionAsync(revoked.Session.SessionId.ToString("D"));
        await Poll.UntilAsync(async () => await b.ValidateAsync(revoked.Session.Token) == SessionFailureReason.Revoked, TimeSpan.FromSeconds(1), "B sees the revocation");

        await redis.KillAsync();

        // Writes fail at once with the fixed message: no endpoint, key, client diagnostics or password.
        var failures = new List<SessionStoreUnavailableException>
        {
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => a.Lifecycle.RevokeSessionAsync(kept.Session.SessionId.ToString("D"))),
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => b.Lifecycle.RefreshAsync(kept.RefreshToken)),
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => a.Lifecycle.IssueWithRefreshTokenAsync(User)),
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => a.Lifecycle.RevokeSubjectAsync(User)),
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => a.Lifecycle.ListSessionsAsync(User)),
        };
        Assert.All(failures, f => Assert.Equal(RedisSessionStore.UnavailableMessage, f.Message));
        Assert.All(failures, f => Assert.Null(f.InnerException));

        // Known revocations stay in force; after the tolerance, unknown sessions are refused as unavailable (Reject).
        Assert.Equal(SessionFailureReason.Revoked, await b.ValidateAsync(revoked.Session.Token));
        await Poll.UntilAsync(async () => await b.ValidateAsync(kept.Session.Token) == SessionFailureReason.Unavailable, TimeSpan.FromSeconds(10), "B refuses unknown sessions as unavailable");
        Assert.Equal(SessionFailureReason.Revoked, await b.ValidateAsync(revoked.Session.Token));

        await redis.RestartAsync();

        // Recovery by itself: the log is read from where it stopped, and everything written before the outage is there.
        await Poll.UntilAsync(async () => await b.ValidateAsync(kept.Session.Token) == SessionFailureReason.None, TimeSpan.FromSeconds(30), "B recovers");
        await Poll.UntilAsync(async () => await a.ValidateAsync(kept.Session.Token) == SessionFailureReason.None, TimeSpan.FromSeconds(30), "A recovers");
        var refreshed = await b.RefreshAsync(kept.RefreshToken);
        await using (var c = await Instance.StartAsync(redis.Configuration, prefix))
        {
            Assert.Equal(SessionFailureReason.Revoked, await c.ValidateAsync(revoked.Session.Token));
        }

        await a.Lifecycle.RevokeTokenAsync(refreshed.Session.Token);
        await Poll.UntilAsync(async () => await b.ValidateAsync(refreshed.Session.Token) == SessionFailureReason.Revoked, TimeSpan.FromSeconds(1), "B sees a revocation made after the outage");

        // The logs name the endpoint from the parsed configuration and never the password.
        var lines = a.Log.Lines.Concat(b.Log.Lines).ToList();
        Assert.Contains(lines, l => l.Contains("StoreUnavailable", StringComparison.Ordinal) && l.Contains($"127.0.0.1:{redis.Port}", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(redis.Password!, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(kept.RefreshToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_outage_under_load_logs_its_first_failure_one_line_per_interval_and_its_end_not_two_warnings_a_call()
    {
        // Before, every call refused during an outage wrote two warnings, the store's StoreUnavailable and the service's:
        // under load, thousands of lines a second. Each call keeps its one CallCompleted line.
        const int Calls = 40;
        await using var redis = await RedisProcess.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturingLoggerProvider();
        await using var host = await ServiceHost.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), time, services: s => s.AddSingleton<ILoggerProvider>(logs));
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
        var beforeOutage = logs.Lines.Count;
        await redis.KillAsync();

        async Task RefuseAsync(int calls)
        {
            for (var i = 0; i < calls; i++)
            {
                var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken }).ResponseAsync);
                Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            }
        }

        // The follower's own line (LogUnreachable) is once per outage, whenever its poll meets it: not counted here.
        List<CapturedLine> Warnings() => [.. logs.Lines.Skip(beforeOutage).Where(l => l.Level >= LogLevel.Warning && l.EventId.Name != "LogUnreachable")];

        await RefuseAsync(Calls);
        var first = Warnings();
        Assert.True(first.Count == 2, $"{first.Count} warnings for {Calls} refused calls:\n{string.Join("\n", first)}");
        Assert.Single(first, l => l.Category == typeof(RedisSessionStore).FullName && l.EventId.Id == 305);
        Assert.Single(first, l => l.Category == typeof(Sessions.Grpc.SessionsService).FullName && l.EventId.Id == 3);
        Assert.Equal(Calls, logs.Lines.Count(l => l.EventId.Name == "CallCompleted" && l.Message.Contains("store_unavailable", StringComparison.Ordinal)));

        // One interval later, one line more each, counting the calls not logged since the first.
        time.Advance(TimeSpan.FromSeconds(10));
        await RefuseAsync(Calls);
        var later = Warnings().Skip(first.Count).ToList();
        Assert.True(later.Count == 2, $"{later.Count} warnings for {Calls} more refused calls:\n{string.Join("\n", later)}");
        Assert.Contains($"{Calls - 1} more operations failed in the 10 s since the last such line", Assert.Single(later, l => l.EventId.Id == 314).Message, StringComparison.Ordinal);
        Assert.Contains($"{Calls - 1} more calls refused for it in the 10 s since the last such line", Assert.Single(later, l => l.EventId.Id == 6).Message, StringComparison.Ordinal);

        // Redis back: the store says so once, with what the outage cost, and calls succeed again.
        await redis.RestartAsync();
        await Poll.UntilAsync(() => Task.FromResult(logs.Lines.Any(l => l.EventId.Id == 315)), TimeSpan.FromSeconds(30), "the store logs that Redis answers again");
        var end = Assert.Single(logs.Lines, l => l.EventId.Id == 315);
        Assert.Equal(LogLevel.Information, end.Level);
        Assert.Contains($"answers the session store again: {2 * Calls} operations failed in 10 s, {Calls - 1} of them since the last line", end.Message, StringComparison.Ordinal);
        var refreshed = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken });
        Assert.Equal(created.ChainId, refreshed.ChainId);
        refreshed = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = refreshed.RefreshToken });
        Assert.Equal(4, Warnings().Count);

        // A second outage soon after (within the interval of the first's last line) is a new one: its first refused call
        // gets the service's first line again, not a count that carries over the calls of the outage before.
        var beforeSecond = Warnings().Count;
        await redis.KillAsync();
        var refusedAgain = await Assert.ThrowsAsync<RpcException>(() => host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = refreshed.RefreshToken }).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, refusedAgain.StatusCode);
        var second = Warnings().Skip(beforeSecond).ToList();
        Assert.Single(second, l => l.Category == typeof(Sessions.Grpc.SessionsService).FullName && l.EventId.Id == 3);
        Assert.DoesNotContain(second, l => l.EventId.Id == 6);
    }

    [Fact]
    public async Task A_revocations_connection_that_is_down_while_the_log_is_read_is_one_outage_in_the_log_not_a_line_pair_per_revocation()
    {
        // The revocation log is read on one connection and revocations are written on another: the log's reads every
        // poll must not end the revocations' outage, which would log it anew (and its end) for each failed revocation.
        await using var redis = await RedisPrimaryWithReplica.StartAsync();
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix());
        var created = await instance.Lifecycle.IssueWithRefreshTokenAsync(User);
        var sessionId = created.Session.SessionId.ToString("D");

        await using (await RevocationsConnectionCut.StartAsync(instance.Store, redis.Primary))
        {
            for (var i = 0; i < 4; i++)
            {
                await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => instance.Lifecycle.RevokeSessionAsync(sessionId));
                // Two polls of the log that started after the failure (the follower reports Redis answering after each).
                for (var poll = 0; poll < 2; poll++)
                {
                    var since = System.Diagnostics.Stopwatch.StartNew();
                    await Poll.UntilAsync(() => Task.FromResult(instance.Store.SinceLastRead < since.Elapsed), TimeSpan.FromSeconds(10), "the log is read between two revocations");
                }
            }

            var failed = Assert.Single(instance.Log.Lines, static l => l.Contains("StoreUnavailable", StringComparison.Ordinal));
            Assert.Contains("revocations' connection", failed, StringComparison.Ordinal);
            Assert.DoesNotContain(instance.Log.Lines, static l => l.Contains("StoreAvailable", StringComparison.Ordinal));
        }

        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await instance.Lifecycle.RevokeSessionAsync(sessionId);
                    return true;
                }
                catch (SessionStoreUnavailableException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            "a revocation succeeds once the connection is back");
        var back = Assert.Single(instance.Log.Lines, static l => l.Contains("StoreAvailable", StringComparison.Ordinal));
        Assert.Contains("revocations' connection", back, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Redis_that_answers_with_an_error_is_logged_as_such_not_as_silent()
    {
        // A Redis that refuses writes (here: it wants a replica it does not have) answers each with an error reply; the
        // line said it "did not answer", which sends an operator to the network instead of to Redis's configuration.
        await using var redis = await RedisProcess.StartAsync();
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix());
        await using (var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true"))
        {
            await admin.GetServer(admin.GetEndPoints()[0]).ExecuteAsync("CONFIG", "SET", "min-replicas-to-write", "1");
        }

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => instance.Lifecycle.IssueWithRefreshTokenAsync(User));

        var line = Assert.Single(instance.Log.Lines, l => l.Contains("StoreUnavailable", StringComparison.Ordinal));
        Assert.Contains($"Redis 127.0.0.1:{redis.Port} answered with an error (RedisServerException", line, StringComparison.Ordinal);
        Assert.DoesNotContain("did not answer", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_started_while_Redis_is_down_refuses_unknown_sessions_until_it_has_read_the_log_and_says_so()
    {
        await using var redis = await RedisProcess.StartAsync();
        var prefix = SharedRedis.NewPrefix();
        string token;
        await using (var writer = await Instance.StartAsync(redis.Configuration, prefix))
        {
            token = (await writer.Lifecycle.IssueWithRefreshTokenAsync(User)).Session.Token;
        }

        await redis.KillAsync();
        await using var instance = await Instance.StartAsync(redis.Configuration, prefix);

        // Never read: no revocation is known, so no tolerance applies and Validate follows UnavailableBehavior (Reject).
        Assert.Equal(SessionFailureReason.Unavailable, await instance.ValidateAsync(token));
        await Task.Delay(TimeSpan.FromMilliseconds(500));   // a few failed polls
        Assert.Equal(SessionFailureReason.Unavailable, await instance.ValidateAsync(token));

        await redis.RestartAsync();
        await Poll.UntilAsync(async () => await instance.ValidateAsync(token) == SessionFailureReason.None, TimeSpan.FromSeconds(30), "the store reads the log once Redis answers");

        // The log says what validation does while the log is unread, and never that unread sessions are trusted for the
        // tolerance; the first complete read is reported as the replay, not as a recovery.
        var lines = instance.Log.Lines.ToList();
        Assert.Contains(lines, l => l.StartsWith("Warning ReplayFailed:", StringComparison.Ordinal) && l.Contains("validation follows UnavailableBehavior", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("LogUnreachable", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("LogResumed", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("Information LogReplayed:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_RequireAtStart_a_store_that_cannot_read_the_log_fails_its_start_instead_of_retrying()
    {
        await using var redis = await RedisProcess.StartAsync(password: "redis-password-never-in-a-message-0123");
        var configuration = redis.Configuration + ",connectTimeout=1000";
        await redis.KillAsync();
        var log = new CapturingLogger<RedisSessionStore>();
        await using var store = new RedisSessionStore(
            new RedisSessionStoreOptions { Configuration = configuration, KeyPrefix = SharedRedis.NewPrefix(), RequireAtStart = true }, null, TimeProvider.System, log);

        var refused = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => store.StartAsync());

        Assert.StartsWith($"The revocation log of Redis 127.0.0.1:{redis.Port} could not be read at start", refused.Message, StringComparison.Ordinal);
        Assert.Null(refused.InnerException);
        Assert.DoesNotContain(redis.Password!, refused.Message, StringComparison.Ordinal);
        // Not the line of a store that goes on trying: nothing goes on.
        Assert.DoesNotContain(log.Lines, l => l.Contains("ReplayFailed", StringComparison.Ordinal));
        Assert.False(store.IsCurrent);

        // A second start, once Redis is there, connects and reads the log: the failed one left nothing behind.
        await redis.RestartAsync();
        await store.StartAsync();
        Assert.True(store.IsCurrent);
    }

    [Fact]
    public void Options_given_to_the_constructor_are_checked_each_named_as_code_sets_it()
    {
        var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            new RedisSessionStore(new RedisSessionStoreOptions { PollInterval = TimeSpan.Zero, KeyPrefix = "sessions:*" }));

        Assert.Contains("RedisSessionStoreOptions.PollInterval", refused.Message, StringComparison.Ordinal);
        Assert.Contains("RedisSessionStoreOptions.KeyPrefix", refused.Message, StringComparison.Ordinal);
    }
}

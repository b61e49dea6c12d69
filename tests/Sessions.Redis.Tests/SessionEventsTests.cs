using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sessions.Grpc.Protocol;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>
/// The session-events stream: the session server publishes its lifecycle events to Redis, and another service's
/// consumer (a plain generic host, no ASP.NET Core) gets each of them, at least once.
/// </summary>
[Collection(SharedRedisGroup.Name)]
public sealed class SessionEventsTests(SharedRedis redis)
{
    private const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [Fact]
    public async Task Every_lifecycle_change_reaches_a_consuming_service_with_its_subject_session_and_chain()
    {
        var stream = SharedRedis.NewPrefix() + "events";
        var received = new ConcurrentQueue<SessionEvent>();
        using var consumer = await StartConsumerAsync(stream, "audit", "audit-1", (e, _) =>
        {
            received.Enqueue(e);
            return Task.CompletedTask;
        });
        await using var server = await StartServerAsync(stream);

        var created = await server.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
        var refreshed = await server.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = created.RefreshToken });
        await server.Client.RevokeAsync(new RevokeSessionRequest { Token = refreshed.Token });
        await server.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = User });

        await Poll.UntilAsync(() => Task.FromResult(received.Count >= 4), TimeSpan.FromSeconds(10), "the consumer has the four events");
        var events = received.ToArray();
        Assert.Equal([SessionEventKind.Created, SessionEventKind.Refreshed, SessionEventKind.Revoked, SessionEventKind.RevokedAll], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(User, e.Subject));
        Assert.Equal(created.SessionId, events[0].SessionId);
        Assert.Equal(refreshed.SessionId, events[1].SessionId);
        Assert.Equal(refreshed.SessionId, events[2].SessionId);
        Assert.NotNull(events[0].ChainId);
        Assert.Equal(events[0].ChainId, events[1].ChainId);
        Assert.Null(events[3].SessionId);
        Assert.Equal(4, events.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public async Task An_event_whose_consumer_died_mid_handler_is_delivered_again_to_another_consumer_of_the_group()
    {
        var stream = SharedRedis.NewPrefix() + "events";
        var started = new TaskCompletionSource<SessionEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var dead = await StartConsumerAsync(stream, "cache", "cache-1", async (e, _) =>
        {
            started.TrySetResult(e);
            await new TaskCompletionSource().Task; // hangs forever, deaf to cancellation: a consumer that died here
        });
        await using var server = await StartServerAsync(stream);
        await server.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
        var first = await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The dead consumer never acknowledges; its host is abandoned (a stop that does not wait for it).
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await dead.StopAsync(stop.Token);

        var again = new TaskCompletionSource<SessionEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var survivor = await StartConsumerAsync(stream, "cache", "cache-2", (e, _) =>
        {
            again.TrySetResult(e);
            return Task.CompletedTask;
        });

        var redelivered = await again.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(first.EventId, redelivered.EventId);
        Assert.Equal(SessionEventKind.Created, redelivered.Kind);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await Poll.UntilAsync(async () => (await connection.GetDatabase().StreamPendingAsync(stream, "cache")).PendingMessageCount == 0, TimeSpan.FromSeconds(5), "the survivor acknowledged it");
    }

    [Fact]
    public async Task An_event_whose_consumer_process_was_killed_mid_handler_is_delivered_again_to_another_consumer_of_the_group()
    {
        var stream = SharedRedis.NewPrefix() + "events";
        await using var killed = ConsumerProcess.Start(redis.Configuration, stream, "cache", "cache-process");
        await using var server = await StartServerAsync(stream);
        var created = await server.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
        var handling = await killed.WaitUntilHandlingAsync(TimeSpan.FromSeconds(60));

        await killed.KillAsync();   // SIGKILL while its handler blocks: the event was delivered, never acknowledged

        var again = new TaskCompletionSource<SessionEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var survivor = await StartConsumerAsync(stream, "cache", "cache-2", (e, _) =>
        {
            again.TrySetResult(e);
            return Task.CompletedTask;
        });
        var redelivered = await again.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(handling, redelivered.EventId);
        Assert.Equal((SessionEventKind.Created, created.SessionId), (redelivered.Kind, redelivered.SessionId));
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await Poll.UntilAsync(async () => (await connection.GetDatabase().StreamPendingAsync(stream, "cache")).PendingMessageCount == 0, TimeSpan.FromSeconds(5), "the survivor acknowledged it");
    }

    [Fact]
    public async Task An_event_whose_handler_threw_is_handled_again_and_then_acknowledged()
    {
        var stream = SharedRedis.NewPrefix() + "events";
        var attempts = new ConcurrentQueue<string>();
        using var consumer = await StartConsumerAsync(stream, "audit", "audit-1", (e, _) =>
        {
            attempts.Enqueue(e.EventId);
            return attempts.Count == 1 ? throw new InvalidOperationException("the audit log is full") : Task.CompletedTask;
        });
        await using var server = await StartServerAsync(stream);

        await server.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });

        await Poll.UntilAsync(() => Task.FromResult(attempts.Count >= 2), TimeSpan.FromSeconds(10), "the event is handled a second time");
        Assert.Single(attempts.Distinct());
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await Poll.UntilAsync(async () => (await connection.GetDatabase().StreamPendingAsync(stream, "audit")).PendingMessageCount == 0, TimeSpan.FromSeconds(5), "it is acknowledged");
    }

    [Fact]
    public async Task A_consumer_restarted_with_an_event_its_handler_keeps_refusing_goes_on_to_the_events_after_it()
    {
        // At start a consumer first replays its own unacknowledged events; one that its handler refuses every time (a
        // poison event, or a dependency still down) must stay pending for later, not be read again and again while the
        // events after it wait.
        var stream = SharedRedis.NewPrefix() + "events";
        var refused = new ConcurrentQueue<string>();
        var handled = new ConcurrentQueue<SessionEvent>();
        Task Handler(SessionEvent e, CancellationToken _)
        {
            if (e.Kind == SessionEventKind.Created)
            {
                refused.Enqueue(e.EventId);
                throw new InvalidOperationException("refused");
            }

            handled.Enqueue(e);
            return Task.CompletedTask;
        }

        await using var server = await StartServerAsync(stream);
        using (var first = await StartConsumerAsync(stream, "audit", "audit-1", Handler))
        {
            await server.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
            await Poll.UntilAsync(() => Task.FromResult(!refused.IsEmpty), TimeSpan.FromSeconds(10), "the first consumer refused the event");
            await first.StopAsync();
        }

        using var restarted = await StartConsumerAsync(stream, "audit", "audit-1", Handler);
        await server.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = User });
        await Poll.UntilAsync(() => Task.FromResult(handled.Any(static e => e.Kind == SessionEventKind.RevokedAll)), TimeSpan.FromSeconds(10), "the restarted consumer handles the event after the refused one");
    }

    [Fact]
    public async Task A_frozen_events_Redis_holds_up_no_call_and_the_events_of_the_while_reach_consumers_once_it_answers()
    {
        // The events have a Redis of their own here, which hangs: the calls that publish must not wait for it (they used
        // to take the client's timeout, 5 s, each), and what they published must not be lost.
        await using var eventsRedis = await RedisProcess.StartAsync();
        var stream = SharedRedis.NewPrefix() + "events";
        var received = new ConcurrentDictionary<string, SessionEvent>();
        using var consumer = await StartConsumerAsync(stream, "cache", "cache-1", (e, _) =>
        {
            received.TryAdd(e.EventId, e);
            return Task.CompletedTask;
        }, eventsRedis.Configuration);
        await using var server = await ServiceHost.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), TimeProvider.System, services: s => s.AddRedisSessionEventSink(o =>
        {
            o.Configuration = eventsRedis.Configuration;
            o.StreamKey = stream;
        }));
        var before = await server.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
        await Poll.UntilAsync(() => Task.FromResult(!received.IsEmpty), TimeSpan.FromSeconds(10), "the first event is consumed");

        TokenReply during;
        await eventsRedis.SignalAsync("STOP");
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            during = await server.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
            await server.Client.RevokeAsync(new RevokeSessionRequest { Token = during.Token });
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"Create and Revoke took {watch.Elapsed.TotalSeconds:0.0} s while the events' Redis hung.");
        }
        finally
        {
            await eventsRedis.SignalAsync("CONT");
        }

        await Poll.UntilAsync(() => Task.FromResult(received.Count >= 3), TimeSpan.FromSeconds(30), "the events published while Redis hung are consumed");
        var events = received.Values.OrderBy(static e => e.EventId, StringComparer.Ordinal).ToArray();
        Assert.Equal([SessionEventKind.Created, SessionEventKind.Created, SessionEventKind.Revoked], events.Select(static e => e.Kind));
        Assert.Equal([before.SessionId, during.SessionId, during.SessionId], events.Select(static e => e.SessionId));
    }

    [Fact]
    public async Task A_sink_whose_Redis_hangs_lets_its_host_stop_after_the_time_it_gives_the_queue()
    {
        // Disposed with an event that a frozen Redis does not take: the sink gives the queue 5 s, then closes without
        // waiting again for the append in flight (the client's own timeout, 5 s more).
        await using var eventsRedis = await RedisProcess.StartAsync();
        var stream = SharedRedis.NewPrefix() + "events";
        var sink = new RedisSessionEventSink(new RedisSessionEventsOptions { Configuration = eventsRedis.Configuration, StreamKey = stream });
        await sink.PublishAsync(new SessionEvent("e-1", SessionEventKind.RevokedAll, User, null, null, DateTimeOffset.UtcNow));
        await using var connection = await ConnectionMultiplexer.ConnectAsync(eventsRedis.Configuration);
        await Poll.UntilAsync(async () => await connection.GetDatabase().KeyExistsAsync(stream), TimeSpan.FromSeconds(10), "the first event is appended");

        await eventsRedis.SignalAsync("STOP");
        try
        {
            await sink.PublishAsync(new SessionEvent("e-2", SessionEventKind.RevokedAll, User, null, null, DateTimeOffset.UtcNow));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await sink.DisposeAsync();
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"The sink took {watch.Elapsed.TotalSeconds:0.0} s to close.");
        }
        finally
        {
            await eventsRedis.SignalAsync("CONT");
        }
    }

    private Task<ServiceHost> StartServerAsync(string stream) =>
        ServiceHost.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), TimeProvider.System, services: s => s.AddRedisSessionEventSink(o =>
        {
            o.Configuration = redis.Configuration;
            o.StreamKey = stream;
        }));

    private async Task<IHost> StartConsumerAsync(string stream, string group, string name, Func<SessionEvent, CancellationToken, Task> handler, string? configuration = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSessionEvents(
            o =>
            {
                o.Configuration = configuration ?? redis.Configuration;
                o.StreamKey = stream;
                o.ConsumerGroup = group;
                o.ConsumerName = name;
                o.ClaimAfter = TimeSpan.FromMilliseconds(500);
                o.PollInterval = TimeSpan.FromMilliseconds(20);
            },
            handler);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

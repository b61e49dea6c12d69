using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Sessions.Redis.Internal;

/// <summary>
/// Consumes the session-events stream in a consumer group: hands each event to the handler and acknowledges it once
/// the handler returned. What is not acknowledged is delivered again: at start, this consumer's own pending events (it
/// crashed before acknowledging them), once each, oldest first; later, events another consumer of the group left unacknowledged for
/// <see cref="RedisSessionEventsOptions.ClaimAfter"/> (it crashed or hangs). At least once: handlers use
/// <see cref="SessionEvent.EventId"/> to act once.
/// </summary>
internal sealed class RedisSessionEventConsumer(
    RedisSessionEventsOptions options,
    Func<SessionEvent, CancellationToken, Task> handler,
    ILogger<RedisSessionEventConsumer> logger) : BackgroundService
{
    private readonly string _endpoints = RedisEndpoints.Describe(ConfigurationOptions.Parse(options.Configuration));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var configuration = RedisConnectionOptions.From(options.Configuration, options.ConfigureConnection);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        var database = redis.GetDatabase();
        var groupReady = false;
        // Its own unacknowledged events are replayed once, from the oldest: one its handler refuses again stays pending,
        // for XAUTOCLAIM after ClaimAfter, while the replay moves past it to the next and then to new events.
        var ownPending = true;
        RedisValue replayFrom = "0-0";
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                if (!groupReady)
                {
                    await CreateGroupAsync(database).ConfigureAwait(false);
                    groupReady = true;
                }

                StreamEntry[] entries = [];
                if (ownPending)
                {
                    entries = await database.StreamReadGroupAsync(options.StreamKey, options.ConsumerGroup, options.ConsumerName, replayFrom, options.BatchSize).ConfigureAwait(false);
                    ownPending = entries.Length > 0;
                    if (ownPending)
                    {
                        replayFrom = entries[^1].Id;
                    }
                }

                if (!ownPending)
                {
                    var claimed = await database.StreamAutoClaimAsync(options.StreamKey, options.ConsumerGroup, options.ConsumerName, (long)options.ClaimAfter.TotalMilliseconds, "0-0", options.BatchSize).ConfigureAwait(false);
                    entries = claimed.ClaimedEntries.Length > 0
                        ? claimed.ClaimedEntries
                        : await database.StreamReadGroupAsync(options.StreamKey, options.ConsumerGroup, options.ConsumerName, StreamPosition.NewMessages, options.BatchSize).ConfigureAwait(false);
                }

                foreach (var entry in entries)
                {
                    stoppingToken.ThrowIfCancellationRequested();
                    if (await HandleAsync(entry, stoppingToken).ConfigureAwait(false))
                    {
                        await database.StreamAcknowledgeAsync(options.StreamKey, options.ConsumerGroup, entry.Id).ConfigureAwait(false);
                        handled++;
                    }
                }

                if (failing)
                {
                    failing = false;
                    RedisLog.EventsResumed(logger, _endpoints, options.StreamKey);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (!failing)
                {
                    failing = true;
                    RedisLog.EventsUnreachable(logger, _endpoints, options.StreamKey, ex.GetType().Name);
                }

                groupReady = false;
            }

            if (handled == 0)
            {
                try
                {
                    await Task.Delay(options.PollInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task CreateGroupAsync(IDatabase database)
    {
        try
        {
            // From the oldest event kept: a new group handles what the stream still holds.
            await database.StreamCreateConsumerGroupAsync(options.StreamKey, options.ConsumerGroup, "0-0", createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists: its position is kept.
        }
    }

    // True once handled (or unreadable, which no retry can fix); false to leave it unacknowledged for redelivery.
    private async Task<bool> HandleAsync(StreamEntry entry, CancellationToken stoppingToken)
    {
        if (SessionEventFields.Read(entry) is not { } sessionEvent)
        {
            RedisLog.EventIgnored(logger, options.StreamKey, entry.Id.ToString());
            return true;
        }

        try
        {
            await handler(sessionEvent, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A handler's failure leaves the event for redelivery; the consumer goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RedisLog.HandlerFailed(logger, sessionEvent.EventId, SessionEventFields.KindName(sessionEvent.Kind), ex.GetType().Name, options.ClaimAfter.TotalSeconds);
            return false;
        }
    }
}

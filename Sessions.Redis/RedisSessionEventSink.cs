using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sessions.Internal;
using Sessions.Redis.Internal;
using StackExchange.Redis;

namespace Sessions.Redis;

/// <summary>
/// Publishes the lifecycle's events to a Redis Stream (<see cref="RedisSessionEventsOptions.StreamKey"/>), trimmed by
/// age (<see cref="RedisSessionEventsOptions.Retention"/>), for other services to consume with <c>AddSessionEvents</c>:
/// drop a cache, close a websocket, write an audit line.
/// </summary>
/// <remarks>
/// <see cref="PublishAsync"/> queues the event and returns at once: the call that changed a session never waits for this
/// Redis, which may be another than the store's and may hang. One writer, started with the first event, appends the
/// queued events in order; while Redis cannot be reached it retries the oldest every half second, so the events of an
/// outage reach the stream once it is over (an event whose append timed out may be appended twice: consumers act once
/// per <see cref="SessionEvent.EventId"/>). The queue holds at most 10,000 events; while it is full, new events are
/// dropped and counted in the log. An outage is logged as the store's are: its first failure, at most one line every 10
/// seconds, and its end. <see cref="DisposeAsync"/> gives the writer 5 seconds to append what is queued. Thread-safe.
/// </remarks>
public sealed class RedisSessionEventSink : ISessionEventSink, IAsyncDisposable
{
    /// <summary>How many events wait for Redis at most: 10,000.</summary>
    internal const int QueueCapacity = 10_000;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    private readonly RedisSessionEventsOptions _options;
    private readonly ILogger _logger;
    private readonly ConfigurationOptions _configuration;
    private readonly string _endpoints;
    private readonly Channel<SessionEvent> _queue = Channel.CreateBounded<SessionEvent>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly RepeatedFailures _failures = new(TimeProvider.System);
    private readonly RepeatedFailures _drops = new(TimeProvider.System);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _startLock = new();
    private ConnectionMultiplexer? _redis;
    private Task? _writer;
    private int _disposed;

    /// <summary>Creates the sink.</summary>
    /// <param name="options">Where the stream is and how long it keeps events.</param>
    /// <param name="logger">Receives publication failures; none when <see langword="null"/>.</param>
    public RedisSessionEventSink(RedisSessionEventsOptions options, ILogger<RedisSessionEventSink>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _configuration = RedisConnectionOptions.From(options.Configuration, options.ConfigureConnection);
        _endpoints = RedisEndpoints.Describe(_configuration);
    }

    /// <summary>Creates the sink from the host's options (for dependency injection).</summary>
    /// <param name="options">Where the stream is and how long it keeps events.</param>
    /// <param name="logger">Receives publication failures.</param>
    public RedisSessionEventSink(IOptions<RedisSessionEventsOptions> options, ILogger<RedisSessionEventSink> logger)
        : this(options?.Value!, logger)
    {
    }

    /// <inheritdoc/>
    /// <remarks>Queues the event for the writer and returns at once; never throws for Redis.</remarks>
    public ValueTask PublishAsync(SessionEvent sessionEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionEvent);
        EnsureWriter();
        if (_queue.Writer.TryWrite(sessionEvent))
        {
            if (_drops.Answered() is { } full)
            {
                RedisLog.EventsQueueAccepting(_logger, _options.StreamKey, _endpoints, full.Failures);
            }
        }
        else if (_drops.Failed() is { Write: true } line)
        {
            RedisLog.EventsDropped(_logger, _options.StreamKey, _endpoints, QueueCapacity, line.NotWritten);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Gives the writer 5 seconds to append the queued events, then closes the connection.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        Task? writer;
        lock (_startLock)
        {
            writer = _writer;
        }

        var flushed = true;
        if (writer is not null)
        {
            flushed = await Task.WhenAny(writer, Task.Delay(FlushTimeout)).ConfigureAwait(false) == writer;
            await _stopping.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _redis, null) is { } redis)
        {
            // A Redis that did not take the queue in time may hang: closing then waits for nothing more.
            await redis.CloseAsync(allowCommandsToComplete: flushed).ConfigureAwait(false);
            redis.Dispose();
        }

        _stopping.Dispose();
    }

    private void EnsureWriter()
    {
        if (Volatile.Read(ref _writer) is not null)
        {
            return;
        }

        lock (_startLock)
        {
            // After DisposeAsync the queue is closed (the event is counted as dropped) and no writer may start.
            if (Volatile.Read(ref _disposed) == 0)
            {
                _writer ??= Task.Run(() => WriteAsync(_stopping.Token), CancellationToken.None);
            }
        }
    }

    private async Task WriteAsync(CancellationToken stopping)
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (reader.TryPeek(out var sessionEvent))
                {
                    if (await TryAppendAsync(sessionEvent, stopping).ConfigureAwait(false))
                    {
                        reader.TryRead(out _);
                    }
                    else
                    {
                        await Task.Delay(RetryDelay, stopping).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed with events still queued: they are not appended.
        }
    }

    private async Task<bool> TryAppendAsync(SessionEvent sessionEvent, CancellationToken stopping)
    {
        try
        {
            _redis ??= await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
            var trimBefore = DateTimeOffset.UtcNow - _options.Retention;
            var options = new StreamAddOptions { MinId = trimBefore.ToUnixTimeMilliseconds() + "-0", Approximate = true };
            await _redis.GetDatabase().StreamAddAsync(_options.StreamKey, SessionEventFields.Write(sessionEvent), options).WaitAsync(stopping).ConfigureAwait(false);
            // An append that succeeds ends the outage at once (Answered ends an episode at the second answer in a row).
            if ((_failures.Answered() ?? _failures.Answered()) is { } outage)
            {
                RedisLog.Available(_logger, _endpoints, outage.Failures, outage.NotWritten, outage.Duration.TotalSeconds);
            }

            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisLog.Failed(_logger, _failures.Failed(), "publish event", _endpoints, ex);
            return false;
        }
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sessions.Redis.Internal;
using StackExchange.Redis;

namespace Sessions.Redis;

/// <summary>
/// Publishes the lifecycle's events to a Redis Stream (<see cref="RedisSessionEventsOptions.StreamKey"/>), trimmed by
/// age (<see cref="RedisSessionEventsOptions.Retention"/>), for other services to consume with <c>AddSessionEvents</c>:
/// drop a cache, close a websocket, write an audit line.
/// </summary>
/// <remarks>
/// Connects on the first event. A failed publication throws <see cref="SessionStoreUnavailableException"/> with a fixed
/// message (the lifecycle logs it; the change itself is stored). Thread-safe.
/// </remarks>
public sealed class RedisSessionEventSink : ISessionEventSink, IAsyncDisposable
{
    private readonly RedisSessionEventsOptions _options;
    private readonly ILogger _logger;
    private readonly ConfigurationOptions _configuration;
    private readonly string _endpoints;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ConnectionMultiplexer? _redis;

    /// <summary>Creates the sink.</summary>
    /// <param name="options">Where the stream is and how long it keeps events.</param>
    /// <param name="logger">Receives publication failures; none when <see langword="null"/>.</param>
    public RedisSessionEventSink(RedisSessionEventsOptions options, ILogger<RedisSessionEventSink>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _configuration = ConfigurationOptions.Parse(options.Configuration);
        _configuration.AbortOnConnectFail = false;
        _configuration.BacklogPolicy = BacklogPolicy.FailFast;
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
    public async ValueTask PublishAsync(SessionEvent sessionEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionEvent);
        try
        {
            var redis = await ConnectAsync().ConfigureAwait(false);
            var trimBefore = DateTimeOffset.UtcNow - _options.Retention;
            var options = new StreamAddOptions { MinId = trimBefore.ToUnixTimeMilliseconds() + "-0", Approximate = true };
            await redis.GetDatabase().StreamAddAsync(_options.StreamKey, SessionEventFields.Write(sessionEvent), options).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisLog.Unavailable(_logger, "publish event", _endpoints, RedisLog.FailureOf(ex), ex.GetType().Name, (ex as RedisConnectionException)?.FailureType.ToString() ?? "none");
            throw new SessionStoreUnavailableException(RedisSessionStore.UnavailableMessage);
        }
    }

    /// <summary>Closes the connection.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _redis, null) is { } redis)
        {
            await redis.CloseAsync().ConfigureAwait(false);
            redis.Dispose();
        }
    }

    private async ValueTask<ConnectionMultiplexer> ConnectAsync()
    {
        if (Volatile.Read(ref _redis) is { } connected)
        {
            return connected;
        }

        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            return _redis ??= await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
        }
        finally
        {
            _connectLock.Release();
        }
    }
}

using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sessions.Jwt;
using Sessions.Redis.Internal;
using StackExchange.Redis;

namespace Sessions.Redis;

/// <summary>
/// A session store shared by every instance through Redis. Writes are Lua scripts, so refresh-token rotation is
/// atomic, and are acknowledged only once Redis accepted them. Each instance keeps a local copy of the revocations,
/// loaded from Redis on start and after every reconnection and kept current by pub/sub, so <see cref="Check"/> is an
/// in-memory lookup and a revocation made on one instance takes effect on the others within milliseconds.
/// </summary>
/// <remarks>
/// <para>
/// When Redis cannot be reached, nothing throws on the validation path: known revocations stay in force, other
/// sessions are trusted for <see cref="RedisSessionStoreOptions.StalenessTolerance"/> and are
/// <see cref="RevocationStatus.Unknown"/> after that (and before the first load). Writes and refresh-token reads throw
/// <see cref="SessionStoreUnavailableException"/> at once (no queueing). When Redis is back, the store reloads the
/// revocations and is current again by itself.
/// </para>
/// <para>Call <see cref="StartAsync"/> once (the host does it when registered with <c>AddRedisStore</c>).</para>
/// </remarks>
public sealed class RedisSessionStore : ISessionStore, ISessionRevocationList, IAsyncDisposable
{
    private readonly RedisSessionStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SessionRevocationSet _revocations = new();
    private readonly RedisChannel _channel;
    private readonly string _channelName;
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private ConnectionMultiplexer? _redis;
    private ITimer? _timer;
    private volatile bool _current;
    private volatile bool _loaded;
    private bool _subscribed;
    private long _staleSinceMs;
    private int _generation;
    private long _lastPurgeMs;

    /// <summary>Creates the store; it connects in <see cref="StartAsync"/>.</summary>
    /// <param name="options">The Redis options.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Receives connection and load events; none when <see langword="null"/>.</param>
    public RedisSessionStore(RedisSessionStoreOptions options, TimeProvider? timeProvider = null, ILogger<RedisSessionStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _channelName = options.KeyPrefix + "revocations";
        _channel = RedisChannel.Literal(_channelName);
        _staleSinceMs = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
    }

    /// <summary>Whether the local revocation set is known to be current (connected, loaded, subscribed).</summary>
    public bool IsCurrent => _current;

    /// <summary>
    /// Connects to Redis, subscribes to revocations and loads them. Returns once loaded, or once the first attempt
    /// failed (the store keeps retrying every <see cref="RedisSessionStoreOptions.ResyncInterval"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the first attempt.</param>
    /// <returns>A task that completes when the first attempt is over.</returns>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_redis is not null)
        {
            return;
        }

        var configuration = ConfigurationOptions.Parse(_options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        _redis = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        _timer = _timeProvider.CreateTimer(static state => ((RedisSessionStore)state!).OnTick(), this, _options.ResyncInterval, _options.ResyncInterval);
    }

    /// <inheritdoc/>
    public RevocationStatus Check(Session session)
    {
        if (_revocations.Contains(session))
        {
            return RevocationStatus.Revoked;
        }

        if (_current)
        {
            return RevocationStatus.NotRevoked;
        }

        var staleFor = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds() - Interlocked.Read(ref _staleSinceMs);
        return _loaded && staleFor <= (long)_options.StalenessTolerance.TotalMilliseconds ? RevocationStatus.NotRevoked : RevocationStatus.Unknown;
    }

    /// <inheritdoc/>
    public async Task RevokeSessionAsync(string sessionId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        await RunAsync(RedisScripts.RevokeSession, [sessionId, Ms(expiresAt)], cancellationToken).ConfigureAwait(false);
        _revocations.AddSession(sessionId, expiresAt);
    }

    /// <inheritdoc/>
    public async Task RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        await RunAsync(RedisScripts.RevokeSubject, [subject, Ms(issuedAtOrBefore), Ms(keepUntil)], cancellationToken).ConfigureAwait(false);
        _revocations.AddSubject(subject, issuedAtOrBefore, keepUntil);
    }

    /// <inheritdoc/>
    public Task CreateRefreshTokenAsync(RefreshTokenRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return RunAsync(
            RedisScripts.Create,
            [record.TokenHash, record.FamilyId, record.Subject, record.SessionId, Ms(record.SessionExpiresAt), Ms(record.IssuedAt), Ms(record.ExpiresAt), Ms(record.FamilyExpiresAt), record.Claims ?? string.Empty],
            cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<RefreshTokenRecord?> FindRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenHash);
        var database = Database(cancellationToken);
        HashEntry[] entries;
        try
        {
            entries = await database.HashGetAllAsync(_options.KeyPrefix + "rt:" + tokenHash).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisException ex)
        {
            throw Unavailable(ex);
        }

        if (entries.Length == 0)
        {
            return null;
        }

        var fields = entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        return new RefreshTokenRecord(
            tokenHash, fields["fam"], fields["sub"], fields["sid"], Time(fields["sexp"]), Time(fields["iat"]), Time(fields["exp"]), Time(fields["fexp"]),
            Claims(fields.GetValueOrDefault("claims")));
    }

    /// <inheritdoc/>
    public async Task<RefreshTokenRotation> RotateRefreshTokenAsync(string tokenHash, RefreshTokenRecord successor, DateTimeOffset now, TimeSpan reuseGracePeriod, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenHash);
        ArgumentNullException.ThrowIfNull(successor);
        var result = await RunAsync(
            RedisScripts.Rotate,
            [tokenHash, (long)reuseGracePeriod.TotalMilliseconds, successor.TokenHash, successor.SessionId, Ms(successor.SessionExpiresAt), Ms(successor.IssuedAt), Ms(successor.ExpiresAt)],
            cancellationToken,
            now).ConfigureAwait(false);
        var values = (RedisResult[])result!;
        var status = Enum.Parse<RefreshTokenRotationStatus>(values[0].ToString());
        if (values.Length == 1)
        {
            return new RefreshTokenRotation(status, null);
        }

        var presented = new RefreshTokenRecord(
            tokenHash, values[1].ToString(), values[2].ToString(), values[3].ToString(),
            Time(values[4].ToString()), Time(values[5].ToString()), Time(values[6].ToString()), Time(values[7].ToString()),
            values.Length > 8 ? Claims(values[8].ToString()) : null);
        return new RefreshTokenRotation(status, presented);
    }

    /// <inheritdoc/>
    public Task RevokeRefreshTokenFamilyAsync(string familyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(familyId);
        return RunAsync(RedisScripts.RevokeFamily, [familyId], cancellationToken);
    }

    /// <summary>Closes the connection and stops the timer.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        _timer?.Dispose();
        if (_redis is { } redis)
        {
            redis.ConnectionFailed -= OnConnectionFailed;
            redis.ConnectionRestored -= OnConnectionRestored;
            await redis.CloseAsync().ConfigureAwait(false);
            redis.Dispose();
        }

        _loadLock.Dispose();
    }

    private async Task<RedisResult> RunAsync(string script, RedisValue[] arguments, CancellationToken cancellationToken, DateTimeOffset? now = null)
    {
        var database = Database(cancellationToken);
        RedisValue[] values = [_options.KeyPrefix, _channelName, Ms(now ?? _timeProvider.GetUtcNow()), .. arguments];
        try
        {
            return await database.ScriptEvaluateAsync(script, keys: null, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisException ex)
        {
            throw Unavailable(ex);
        }
    }

    private IDatabase Database(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var redis = _redis ?? throw new InvalidOperationException("RedisSessionStore was not started: call StartAsync, or register it with AddRedisStore() in a host.");
        return redis.GetDatabase();
    }

    private SessionStoreUnavailableException Unavailable(RedisException ex) =>
        new($"Redis at {Endpoint} did not accept the request ({ex.GetType().Name}: {ex.Message})", ex);

    private string Endpoint => _options.Configuration.Split(',')[0];

    // Loads every revocation from Redis into the local set and marks it current, unless the connection failed meanwhile.
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_redis is not { } redis || !await _loadLock.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            var generation = Volatile.Read(ref _generation);
            if (!_subscribed)
            {
                await redis.GetSubscriber().SubscribeAsync(_channel, OnMessage).ConfigureAwait(false);
                _subscribed = true;
            }

            var server = redis.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica)
                ?? throw new InvalidOperationException("No connected Redis primary.");
            var database = redis.GetDatabase();
            var count = 0;
            var now = _timeProvider.GetUtcNow();
            await foreach (var key in server.KeysAsync(database.Database, _options.KeyPrefix + "rs:*", pageSize: 1000).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var value = await database.StringGetAsync(key).ConfigureAwait(false);
                if (value.HasValue)
                {
                    _revocations.AddSession(key.ToString()[(_options.KeyPrefix.Length + 3)..], Time(value.ToString()));
                    count++;
                }
            }

            await foreach (var key in server.KeysAsync(database.Database, _options.KeyPrefix + "ru:*", pageSize: 1000).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var value = await database.StringGetWithExpiryAsync(key).ConfigureAwait(false);
                if (value.Value.HasValue)
                {
                    var keepUntil = value.Expiry is { } ttl ? now + ttl : DateTimeOffset.MaxValue;
                    _revocations.AddSubject(key.ToString()[(_options.KeyPrefix.Length + 3)..], Time(value.Value.ToString()), keepUntil);
                    count++;
                }
            }

            if (Volatile.Read(ref _generation) == generation && redis.IsConnected)
            {
                _loaded = true;
                _current = true;
                RedisLog.RevocationsLoaded(_logger, Endpoint, count);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException)
        {
            RedisLog.LoadFailed(_logger, Endpoint, ex.GetType().Name, ex.Message);
        }
        finally
        {
            _loadLock.Release();
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        var text = message.ToString();
        var parts = text.Split('|', text.StartsWith("u|", StringComparison.Ordinal) ? 4 : 3);
        if (parts is ["s", var expires, var sessionId] && long.TryParse(expires, CultureInfo.InvariantCulture, out var exp))
        {
            _revocations.AddSession(sessionId, DateTimeOffset.FromUnixTimeMilliseconds(exp));
        }
        else if (parts is ["u", var before, var keep, var subject] &&
                 long.TryParse(before, CultureInfo.InvariantCulture, out var beforeMs) && long.TryParse(keep, CultureInfo.InvariantCulture, out var keepMs))
        {
            _revocations.AddSubject(subject, DateTimeOffset.FromUnixTimeMilliseconds(beforeMs), DateTimeOffset.FromUnixTimeMilliseconds(keepMs));
        }
        else
        {
            RedisLog.MessageIgnored(_logger, _channelName);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (MarkStale())
        {
            RedisLog.ConnectionLost(_logger, Endpoint, e.FailureType, _options.StalenessTolerance.TotalSeconds);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        RedisLog.ConnectionRestored(_logger, Endpoint, e.ConnectionType);
        MarkStale();
        _ = Task.Run(() => LoadAsync(CancellationToken.None));
    }

    // Revocations published while the connection was down were missed: the set is stale until reloaded.
    private bool MarkStale()
    {
        Interlocked.Increment(ref _generation);
        if (!_current)
        {
            return false;
        }

        Interlocked.Exchange(ref _staleSinceMs, _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        _current = false;
        return true;
    }

    private void OnTick()
    {
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        if (now - Interlocked.Read(ref _lastPurgeMs) >= 60_000)
        {
            Interlocked.Exchange(ref _lastPurgeMs, now);
            _revocations.Purge(_timeProvider.GetUtcNow());
        }

        if (!_current && _redis is { IsConnected: true })
        {
            _ = LoadAsync(CancellationToken.None);
        }
    }

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    // Records stored before claims were kept have no claims field: no claims.
    private static string? Claims(string? stored) => string.IsNullOrEmpty(stored) ? null : stored;

    private static DateTimeOffset Time(string milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(milliseconds, CultureInfo.InvariantCulture));
}

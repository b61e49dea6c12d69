using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sessions.Internal;
using Sessions.Lifecycle;
using Sessions.Redis.Internal;
using StackExchange.Redis;

namespace Sessions.Redis;

/// <summary>
/// The session lifecycle's store shared by every instance through Redis — one primary or Redis Cluster. Each write
/// is one Lua script over keys of one hash slot (a revocation of a subject whose sign-ins race it, two), so rotation
/// and revocation are atomic and linearizable as in
/// <see cref="InMemorySessionStore"/>, whose semantics it shares: the same statuses in the same situations, the same
/// caps, revocations kept until what they cover can no longer be accepted.
/// </summary>
/// <remarks>
/// <para>
/// Revocations are appended, in the same script, to a revocation log (a Redis Stream per shard, trimmed by age to what
/// can still be needed). Every instance reads the log from the last entry it applied, every
/// <see cref="RedisSessionStoreOptions.PollInterval"/>, into a local set, so <see cref="Check"/> is an in-memory lookup:
/// a reconnect resumes where it stopped and a new instance replays the log from its oldest live entry. No key is ever
/// listed (no <c>KEYS</c> or <c>SCAN</c>).
/// </para>
/// <para>
/// A revocation answers only once <see cref="RedisSessionStoreOptions.ReplicaAcknowledgements"/> replicas have it
/// (<c>WAIT</c>), so an acknowledged revocation survives the failover of its primary. <c>WAIT</c> holds the connection
/// it runs on until then, so revocations have a connection of their own (one per primary), opened at start unless
/// <see cref="RedisSessionStoreOptions.ReplicaAcknowledgements"/> is 0: a replica that lags delays revocations, never the
/// reads of the revocation log, <c>Create</c> or <c>Refresh</c>. One <c>WAIT</c> runs at a time per primary; the
/// revocations written while it runs share the next, so none waits for more than three however many are made at once.
/// </para>
/// <para>
/// When Redis cannot be reached, nothing throws on the validation path: known revocations stay in force, other
/// sessions are trusted for <see cref="RedisSessionStoreOptions.StalenessTolerance"/> after the last complete read of
/// the log and are <see cref="RevocationStatus.Unknown"/> after that (and before the first read). Every other method
/// throws <see cref="SessionStoreUnavailableException"/> at once, with a fixed message; the details (endpoints, never a
/// password) go to the log. When Redis is back, the store catches up by itself.
/// </para>
/// <para>Call <see cref="StartAsync"/> once (the host does it when registered with <c>AddRedisSessionStore</c>).</para>
/// </remarks>
public sealed class RedisSessionStore : ISessionStore, ISessionRevocationList, IAsyncDisposable
{
    /// <summary>The message of every <see cref="SessionStoreUnavailableException"/> this store throws.</summary>
    public const string UnavailableMessage = "The session store is unavailable: the call may not have taken effect, or not durably; retry it.";

    private const int ReadBatch = 1000;
    private const int CreateAttempts = 2;
    private const long PurgeEveryMilliseconds = 60_000;
    private static readonly TimeSpan ReplicaCountLifetime = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PasswordProbeInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PasswordProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly RedisSessionStoreOptions _options;
    private readonly Func<SessionStoreOptions> _storeOptions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RedisKeys _keys;
    private readonly ConfigurationOptions _configuration;
    private readonly string _endpoints;
    private readonly SessionRevocationSet _revocations = new();
    private readonly RedisValue[] _positions = new RedisValue[RedisKeys.ShardCount];
    private readonly SemaphoreSlim _syncLock = new(1, 1);
    private readonly ConcurrentDictionary<EndPoint, (int Replicas, long CheckedAt)> _replicaCounts = new();
    private readonly ConcurrentDictionary<EndPoint, bool> _warnedWithoutReplicas = new();
    private readonly ConcurrentDictionary<EndPoint, bool> _warnedFewerReplicas = new();
    private readonly ConcurrentDictionary<EndPoint, ReplicaWaits> _replicaWaits = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly RepeatedFailures _failures;
    private readonly RepeatedFailures _replicaTimeouts;
    private readonly RepeatedFailures _revocationFailures;

    // A caller at a cap can be refused at the rate it calls (a refresh token's holder, at MaxRefreshTokensPerChain,
    // needs no key): the first refusal is logged, then at most one line per RepeatedFailures.Interval with the count.
    private readonly RepeatedFailures _limitLines;
    private readonly string _revocationEndpoints;
    private ConnectionMultiplexer? _redis;
    private ConnectionMultiplexer? _revocationRedis;
    private Task? _follower;
    private volatile bool _loaded;
    private long _lastSyncTick;
    private long _lastPurgeTick;
    private long _replicaTimeoutTick;
    private volatile string? _replicaTimeoutEndpoint;
    private int _disposed;

    // Set once Redis is seen refusing the configuration's password (a probe, or the failure itself says so), until the
    // log is read again; _probing lets one probe run at a time, _lastProbeTick spaces them.
    private volatile bool _passwordRefused;
    private readonly Lock _passwordRefusalLock = new();
    private int _probing;
    private long _lastProbeTick;

    /// <summary>
    /// How its refusals name the lifecycle's caps: <c>Sessions:Store:</c>, or the path a
    /// <see cref="SessionsConfigurationPath"/> registers for <see cref="SessionStoreOptions"/>.
    /// </summary>
    internal string StoreSettingPrefix { get; init; } = SessionStoreOptions.SectionName + ":";

    /// <summary>
    /// How its refusals, log lines and health name its own settings: as code sets them (<c>RedisSessionStoreOptions.</c>),
    /// or under the section the host binds the options from (<c>Sessions:Redis:</c>).
    /// </summary>
    internal string SettingPrefix { get; init; } = SettingNames.InCode(typeof(RedisSessionStoreOptions));

    /// <summary>How it names <see cref="RedisSessionStoreOptions.Configuration"/> (<c>Sessions:Redis:Configuration</c>).</summary>
    internal string ConfigurationSetting => SettingPrefix + nameof(RedisSessionStoreOptions.Configuration);

    /// <summary>How it names <see cref="RedisSessionStoreOptions.ReplicaAcknowledgements"/>.</summary>
    internal string ReplicaAcknowledgementsSetting => SettingPrefix + nameof(RedisSessionStoreOptions.ReplicaAcknowledgements);

    /// <summary>Creates a store with fixed options; it connects in <see cref="StartAsync"/>.</summary>
    /// <param name="options">Where Redis is and how revocations travel.</param>
    /// <param name="storeOptions">The lifecycle's caps and unavailable behaviour; the defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Receives connection, outage and limit events; none when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> break a rule (each named, <c>RedisSessionStoreOptions.PollInterval</c>).</exception>
    public RedisSessionStore(RedisSessionStoreOptions options, SessionStoreOptions? storeOptions = null, TimeProvider? timeProvider = null, ILogger<RedisSessionStore>? logger = null)
        : this(RedisSessionStoreOptionsValidator.Checked(options), Fixed(storeOptions ?? new SessionStoreOptions()), timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance)
    {
    }

    /// <summary>Creates a store that follows changes of the lifecycle's options (for dependency injection).</summary>
    /// <param name="options">Where Redis is and how revocations travel.</param>
    /// <param name="storeOptions">The lifecycle's caps and unavailable behaviour.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Receives connection, outage and limit events.</param>
    public RedisSessionStore(IOptions<RedisSessionStoreOptions> options, IOptionsMonitor<SessionStoreOptions> storeOptions, TimeProvider timeProvider, ILogger<RedisSessionStore> logger)
        : this(Value(options), LastValidOptions<SessionStoreOptions>.Reader(storeOptions), timeProvider, logger)
    {
    }

    private RedisSessionStore(RedisSessionStoreOptions options, Func<SessionStoreOptions> storeOptions, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _storeOptions = storeOptions;
        _timeProvider = timeProvider;
        _logger = logger;
        _keys = new RedisKeys(options.KeyPrefix);
        _configuration = RedisConnectionOptions.From(options.Configuration, options.ConfigureConnection);
        _endpoints = RedisEndpoints.Describe(_configuration);
        _failures = new RepeatedFailures(timeProvider);
        _replicaTimeouts = new RepeatedFailures(timeProvider);
        _revocationFailures = new RepeatedFailures(timeProvider);
        _limitLines = new RepeatedFailures(timeProvider);
        _revocationEndpoints = _endpoints + " (revocations' connection)";
        Array.Fill(_positions, (RedisValue)"0-0");
    }

    /// <summary>
    /// Whether the local revocation set is current: the revocation log was read completely within
    /// <see cref="RedisSessionStoreOptions.StalenessTolerance"/>.
    /// </summary>
    public bool IsCurrent => _loaded && Environment.TickCount64 - Interlocked.Read(ref _lastSyncTick) <= (long)_options.StalenessTolerance.TotalMilliseconds;

    /// <summary>How many revocations the local set holds (session ids and subjects).</summary>
    public int RevocationCount => _revocations.Count;

    /// <inheritdoc/>
    public RevocationUnavailableBehavior UnavailableBehavior => _storeOptions().UnavailableBehavior;

    /// <summary>The connection, once started (for the health check and tests).</summary>
    internal IConnectionMultiplexer? Connection => _redis;

    /// <summary>
    /// The connection revocations are written and waited for on, once started; <see langword="null"/> when no replica
    /// is waited for (<see cref="RedisSessionStoreOptions.ReplicaAcknowledgements"/> = 0): they then share
    /// <see cref="Connection"/>.
    /// </summary>
    internal IConnectionMultiplexer? RevocationConnection => _revocationRedis;

    /// <summary>The endpoints of the configuration, as logged: host and port only.</summary>
    internal string Endpoints => _endpoints;

    internal RedisKeys Keys => _keys;

    internal RedisSessionStoreOptions Options => _options;

    /// <summary>
    /// The primary whose replicas last failed to acknowledge a revocation in time, and how long ago; <see langword="null"/>
    /// once a revocation was acknowledged since (or none timed out).
    /// </summary>
    internal (string Endpoint, TimeSpan Since)? LastReplicaTimeout =>
        Interlocked.Read(ref _replicaTimeoutTick) is var tick and not 0 && _replicaTimeoutEndpoint is { } endpoint
            ? (endpoint, TimeSpan.FromMilliseconds(Environment.TickCount64 - tick))
            : null;

    /// <summary>
    /// Whether Redis was last seen refusing the configuration's password (NOAUTH, WRONGPASS), since the log was last read:
    /// it answers, but nothing can be read or written until the password is corrected.
    /// </summary>
    internal bool PasswordRefused => _passwordRefused;

    /// <summary>How long ago the revocation log was last read completely; <see langword="null"/> before the first time.</summary>
    internal TimeSpan? SinceLastRead => _loaded ? TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastSyncTick)) : null;

    /// <summary>
    /// Connects to Redis, replays the revocation log and starts following it. Returns once replayed, or once the first
    /// attempt failed (the store keeps trying every <see cref="RedisSessionStoreOptions.PollInterval"/>), unless
    /// <see cref="RedisSessionStoreOptions.RequireAtStart"/> makes that failure the caller's.
    /// </summary>
    /// <param name="cancellationToken">Cancels the first attempt.</param>
    /// <returns>A task that completes when the first attempt is over.</returns>
    /// <exception cref="SessionStoreUnavailableException">
    /// With <see cref="RedisSessionStoreOptions.RequireAtStart"/>, the log could not be read; the store does not keep
    /// trying, and a later call tries again.
    /// </exception>
    /// <exception cref="OptionsValidationException">
    /// <see cref="RedisSessionStoreOptions.Configuration"/> asks a Redis Cluster for a database other than 0
    /// (<c>defaultDatabase=1</c>), which it does not have.
    /// </exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_redis is not null)
        {
            return;
        }

        _redis = await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
        if (RedisOptionsChecks.ClusterDatabase(ConfigurationSetting, _configuration, _redis) is { } wrong)
        {
            // A setting to correct, not an outage to ride out: no retry would ever read the log.
            var redis = _redis;
            _redis = null;
            await redis.DisposeAsync().ConfigureAwait(false);
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(RedisSessionStoreOptions), [wrong]);
        }

        if (_options.ReplicaAcknowledgements > 0)
        {
            // Never fails for an unreachable Redis (AbortOnConnectFail is off): it connects by itself, as the other does.
            _revocationRedis = await ConnectionMultiplexer.ConnectAsync(RevocationConfiguration()).ConfigureAwait(false);
        }

        try
        {
            await SynchronizeCoreAsync(_redis.GetDatabase(), cancellationToken).ConfigureAwait(false);
            RedisLog.LogReplayed(_logger, _endpoints, _revocations.Count);
        }
        catch (Exception ex) when (IsRedisFailure(ex) && _options.RequireAtStart)
        {
            // A Redis that refuses the password answers: the connection's exception says so, or a probe of its own finds out.
            var passwordRefused = RedisLog.IsPasswordRefused(ex) || (ex is RedisConnectionException && await ProbePasswordRefusedAsync().ConfigureAwait(false));

            // Nothing is left connected or following, so that a later StartAsync tries again. No inner exception: the
            // client's diagnostics may hold the configuration's password.
            var redis = _redis;
            var revocationRedis = _revocationRedis;
            _redis = null;
            _revocationRedis = null;
            await redis.DisposeAsync().ConfigureAwait(false);
            if (revocationRedis is not null)
            {
                await revocationRedis.DisposeAsync().ConfigureAwait(false);
            }

            if (passwordRefused)
            {
                // The inner exception is the store's own, without the client's diagnostics: it tells a host why, typed.
                throw new SessionStoreUnavailableException(
                    $"Redis {_endpoints} refused the password of {ConfigurationSetting} (NOAUTH or WRONGPASS): correct its password=... (and user=... of an ACL user).",
                    new RedisConnectionException(ConnectionFailureType.AuthenticationFailure, CommandFlags.None, $"Redis {_endpoints} refused the password.", innerException: null, CommandStatus.Unknown));
            }

            throw new SessionStoreUnavailableException(
                $"The revocation log of Redis {_endpoints} could not be read at start ({ex.GetType().Name}): start Redis there, or correct the address and credentials in {ConfigurationSetting}.");
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            RedisLog.ReplayFailed(_logger, _endpoints, ex.GetType().Name);
            NotePasswordRefusal(ex);
        }

        _follower = Task.Run(() => FollowAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>
    /// Reads every revocation logged so far into the local set (the store does it by itself every
    /// <see cref="RedisSessionStoreOptions.PollInterval"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for Redis.</param>
    /// <returns>A task that completes once the local set holds every revocation logged before the call.</returns>
    /// <exception cref="SessionStoreUnavailableException">Redis cannot be reached.</exception>
    public async Task SynchronizeAsync(CancellationToken cancellationToken = default)
    {
        var database = Database(cancellationToken);
        try
        {
            await SynchronizeCoreAsync(database, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Unavailable("synchronize", ex);
        }
    }

    /// <inheritdoc/>
    public RevocationStatus Check(Session session)
    {
        if (_revocations.Contains(session))
        {
            return RevocationStatus.Revoked;
        }

        return IsCurrent ? RevocationStatus.NotRevoked : RevocationStatus.Unknown;
    }

    /// <inheritdoc/>
    public async Task CreateChainAsync(RefreshChainRecord chain, RefreshTokenRecord first, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(first);
        var shard = ShardOf(chain);
        var options = _storeOptions();
        var now = _timeProvider.GetUtcNow();
        var subjectChains = _keys.SubjectChains(chain.Subject);
        RedisResult result;
        var attempt = 0;
        do
        {
            // The script counts the subject's listed chains, so it must name them: they are read first. One listed since
            // counts as live; only when that reaches the cap does the script answer Retry, to count exactly — once: the
            // last attempt keeps counting such chains as live (the user does hold them), so no race makes it give up.
            // The list holds the chains that can still refresh (revocations take theirs off), so this is as long as the
            // user's live chains, not as long as their history.
            var chainIds = await ReadSubjectChainsAsync(subjectChains, "create", cancellationToken).ConfigureAwait(false);
            result = await EvaluateAsync(
                "create",
                RedisScripts.CreateChain,
                [_keys.Chain(chain.ChainId), _keys.Pointer(shard, first.SessionId), subjectChains, _keys.ShardChains(shard), _keys.SubjectKept(chain.Subject),
                 _keys.Logs[shard], _keys.LogKeep(shard), _keys.SubjectRevoked(chain.Subject), .. chainIds.Select(_keys.Chain)],
                [Ms(now), chain.Subject, Ms(chain.CreatedAt), Ms(chain.ExpiresAt), chain.Claims ?? string.Empty, chain.Description ?? string.Empty,
                 first.TokenHash, first.SessionId, Ms(first.SessionExpiresAt), Ms(first.IssuedAt), Ms(first.ExpiresAt), chain.ChainId,
                 ShardCap(options.MaxChains), options.MaxChainsPerSubject, attempt + 1 == CreateAttempts ? 1 : 0, .. chainIds.Select(static id => (RedisValue)id)],
                cancellationToken).ConfigureAwait(false);
        }
        while (result.ToString() == "Retry" && ++attempt < CreateAttempts);

        switch (result.ToString())
        {
            case "Created":
                return;
            case "CreatedRevoked":
                // From before the user's latest RevokeAll, which reached the store first: stored revoked, its session logged.
                _revocations.AddSession(first.SessionId, first.SessionExpiresAt);
                await AwaitReplicasAsync(_keys.Chain(chain.ChainId), cancellationToken, writtenOnSharedConnection: true).ConfigureAwait(false);
                return;
            case "Exists":
                throw new ArgumentException($"The chain {chain.ChainId} exists already.", nameof(chain));
            case "MaxChains":
                throw Limit($"this user's shard of the store is full: it holds {ShardCap(options.MaxChains)} refresh chains, the most each of its {RedisKeys.ShardCount} shards may hold ({StoreSettingPrefix}{nameof(options.MaxChains)} = {options.MaxChains} is split between them); retry once older chains have expired");
            default:
                throw Limit($"the user has {options.MaxChainsPerSubject} live refresh chains ({StoreSettingPrefix}{nameof(options.MaxChainsPerSubject)}); revoke some (Revoke or RevokeAll) before creating another");
        }
    }

    /// <inheritdoc/>
    public async Task<RefreshChainRecord?> FindChainAsync(string chainId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        if (!RedisKeys.IsChainId(chainId))
        {
            return null;
        }

        var database = Database(cancellationToken);
        RedisValue[] fields;
        try
        {
            fields = await database.HashGetAsync(_keys.Chain(chainId), [(RedisValue)"sub", "cat", "exp", "claims", "desc", "keep"]).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Unavailable("find", ex);
        }

        // A chain nothing of which can be accepted any more is gone, whether or not Redis has expired its key yet.
        return fields[0].IsNull || (long)fields[5] <= Ms(_timeProvider.GetUtcNow()) ? null : new RefreshChainRecord(chainId, fields[0]!, Time(fields[1]), Time(fields[2]), Optional(fields[3]), Optional(fields[4]));
    }

    // The pointers of sessions whose tokens the chain forgot to stay within its cap: nothing leads through them any
    // more. Not awaited: one left behind only lives until its refresh token's expiry, as it would have anyway.
    private void ForgetPointers(int shard, ReadOnlySpan<RedisResult> sessionIds)
    {
        var pointers = new RedisKey[sessionIds.Length];
        for (var i = 0; i < pointers.Length; i++)
        {
            pointers[i] = _keys.Pointer(shard, sessionIds[i].ToString());
        }

        try
        {
            Database(CancellationToken.None).KeyDelete(pointers, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
        }
    }

    /// <inheritdoc/>
    public async Task<RefreshTokenRotation> RotateRefreshTokenAsync(RefreshTokenRotationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!RedisKeys.IsChainId(request.ChainId))
        {
            return new RefreshTokenRotation(RefreshTokenRotationStatus.NotFound);
        }

        var shard = RedisKeys.ShardOfChain(request.ChainId);
        var successor = request.Successor;
        var options = _storeOptions();
        var chainKey = _keys.Chain(request.ChainId);
        var result = (RedisResult[])(await EvaluateAsync(
            "refresh",
            RedisScripts.Rotate,
            [chainKey, _keys.Pointer(shard, successor.SessionId), _keys.Logs[shard], _keys.LogKeep(shard), _keys.ShardChains(shard)],
            [Ms(request.Now), request.PresentedHash, (long)request.GracePeriod.TotalMilliseconds, successor.TokenHash, successor.SessionId,
             Ms(successor.SessionExpiresAt), Ms(successor.IssuedAt), Ms(successor.ExpiresAt), request.SealedSuccessor, options.MaxRefreshTokensPerChain, request.ChainId,
             SessionStoreLimits.SealedSuccessorsKept],
            cancellationToken).ConfigureAwait(false))!;
        switch (result[0].ToString())
        {
            case "Rotated":
                if (result.Length > 4)
                {
                    ForgetPointers(shard, result.AsSpan(4));
                }

                if (result[2].ToString() is { Length: > 0 } subject)
                {
                    await ExtendSubjectChainsAsync(subject, TimeSpan.FromMilliseconds((long)result[3]), cancellationToken).ConfigureAwait(false);
                }

                return new RefreshTokenRotation(RefreshTokenRotationStatus.Rotated, request.SealedSuccessor);
            case "RotatedWithinGracePeriod":
                return new RefreshTokenRotation(RefreshTokenRotationStatus.RotatedWithinGracePeriod, result[1].ToString());
            case "Reused":
                ApplySessions(result, 2);
                await UnlistAsync(request.ChainId, result[1].ToString(), request.Now).ConfigureAwait(false);
                await AwaitReplicasAsync(chainKey, cancellationToken, writtenOnSharedConnection: true).ConfigureAwait(false);
                return new RefreshTokenRotation(RefreshTokenRotationStatus.Reused);
            case "MaxRefreshTokensPerChain":
                throw Limit($"the refresh chain holds {options.MaxRefreshTokensPerChain} live sessions ({StoreSettingPrefix}{nameof(options.MaxRefreshTokensPerChain)}): it is refreshed far more often than sessions expire; refresh when the session is about to expire");
            case var status:
                return new RefreshTokenRotation(Enum.Parse<RefreshTokenRotationStatus>(status!));
        }
    }

    /// <inheritdoc/>
    public async Task<bool> RevokeChainAsync(string chainId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        return RedisKeys.IsChainId(chainId) && await RevokeChainCoreAsync(chainId, null, default, now, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc/>
    public async Task<RefreshChainRecord?> RevokeSessionAsync(string sessionId, DateTimeOffset keepUntil, DateTimeOffset now, bool verified = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var database = Database(cancellationToken);
        RedisValue[] pointers;
        try
        {
            // The chain that issued a session is recorded in its chain's shard, which the id does not tell: one read per shard.
            pointers = await Task.WhenAll(Enumerable.Range(0, RedisKeys.ShardCount).Select(shard => database.StringGetAsync(_keys.Pointer(shard, sessionId)))).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Unavailable("revoke", ex);
        }

        foreach (var pointer in pointers)
        {
            if (!pointer.IsNull && RedisKeys.IsChainId(pointer.ToString()) &&
                await RevokeChainCoreAsync(pointer.ToString(), sessionId, keepUntil, now, cancellationToken).ConfigureAwait(false) is { } chain)
            {
                return chain;
            }
        }

        var options = _storeOptions();
        var unknownShard = RedisKeys.ShardOfSubject(sessionId);
        var logged = await EvaluateRevocationAsync(
            "revoke",
            RedisScripts.RevokeUnknown,
            [_keys.Unknown(unknownShard), _keys.Logs[unknownShard], _keys.LogKeep(unknownShard)],
            [Ms(now), "s:" + sessionId, Ms(keepUntil), verified ? int.MaxValue : ShardCap(options.MaxRevocations), "s", sessionId, "u", Ms(keepUntil)],
            cancellationToken).ConfigureAwait(false);
        if ((int)logged == 0)
        {
            throw Limit($"this session's shard of the store is full: it holds {ShardCap(options.MaxRevocations)} revocations, the most each of its {RedisKeys.ShardCount} shards may hold ({StoreSettingPrefix}{nameof(options.MaxRevocations)} = {options.MaxRevocations} is split between them), and the store knows nothing of this session; revoke it by its token instead, or retry once older revocations have expired");
        }

        _revocations.AddSession(sessionId, keepUntil);
        await AwaitReplicasAsync(_keys.Logs[unknownShard], cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <inheritdoc/>
    public async Task RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var shard = RedisKeys.ShardOfSubject(subject);
        var subjectChains = _keys.SubjectChains(subject);
        var options = _storeOptions();

        // The script must name every chain it revokes, so they are read first. It records the revocation, revokes them and
        // answers the chains listed since the read (sign-ins of the user at that moment); those are revoked next. A chain
        // stored after the script is refused at its creation if it is from before the revocation (CreateChain), so two
        // steps reach every chain, however many sign-ins race them: nothing is retried.
        var chainIds = await ReadSubjectChainsAsync(subjectChains, "revoke", cancellationToken).ConfigureAwait(false);
        var result = (RedisResult[])(await EvaluateRevocationAsync(
            "revoke",
            RedisScripts.RevokeSubject,
            [subjectChains, _keys.Unknown(shard), _keys.Logs[shard], _keys.LogKeep(shard), _keys.SubjectKept(subject), _keys.SubjectRevoked(subject), .. chainIds.Select(_keys.Chain)],
            [Ms(issuedAtOrBefore), Ms(keepUntil), subject, ShardCap(options.MaxRevocations), .. chainIds.Select(static id => (RedisValue)id)],
            cancellationToken).ConfigureAwait(false))!;
        if (result[0].ToString() == "Full")
        {
            throw Limit($"this user's shard of the store is full: it holds {ShardCap(options.MaxRevocations)} revocations, the most each of its {RedisKeys.ShardCount} shards may hold ({StoreSettingPrefix}{nameof(options.MaxRevocations)} = {options.MaxRevocations} is split between them), and the store knows no session of this user; retry once older revocations have expired");
        }

        _revocations.AddSubject(subject, issuedAtOrBefore, keepUntil);
        var missed = (int)result[1];
        ApplySessions(result, 2 + missed);
        var missedIds = result.Skip(2).Take(missed).Select(static id => id.ToString()).Where(RedisKeys.IsChainId).ToArray();
        if (missedIds.Length > 0)
        {
            var revoked = (RedisResult[])(await EvaluateRevocationAsync(
                "revoke",
                RedisScripts.RevokeChains,
                [subjectChains, _keys.Logs[shard], _keys.LogKeep(shard), _keys.SubjectKept(subject), .. missedIds.Select(_keys.Chain)],
                [Ms(issuedAtOrBefore), .. missedIds.Select(static id => (RedisValue)id)],
                cancellationToken).ConfigureAwait(false))!;
            ApplySessions(revoked, 0);
        }

        await AwaitReplicasAsync(subjectChains, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RefreshChainSummary>> ListChainsAsync(string subject, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var chainIds = await ReadSubjectChainsAsync(_keys.SubjectChains(subject), "list", cancellationToken).ConfigureAwait(false);
        if (chainIds.Length == 0)
        {
            return [];
        }

        var database = Database(cancellationToken);
        RedisValue[][] chains;
        try
        {
            chains = await Task.WhenAll(chainIds.Select(id => database.HashGetAsync(_keys.Chain(id), [(RedisValue)"rev", "exp", "hsid", "cat", "hiat", "hexp", "desc"]))).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Unavailable("list", ex);
        }

        var nowMs = Ms(now);
        return chainIds
            .Select((id, i) => (Id: id, Fields: chains[i]))
            .Where(c => !c.Fields[2].IsNull && c.Fields[0] != "1" && (long)c.Fields[1] > nowMs && (long)c.Fields[5] > nowMs)
            .Select(c => new RefreshChainSummary(c.Id, c.Fields[2]!, Time(c.Fields[3]), Time(c.Fields[4]), Time(c.Fields[5]), Optional(c.Fields[6])))
            .OrderByDescending(static c => c.CreatedAt)
            .ThenBy(static c => c.ChainId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Stops following the log and closes the connections.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        // The container may hold this instance under several services and dispose it once for each.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_follower is { } follower)
        {
            await follower.ConfigureAwait(false);
        }

        if (_redis is { } redis)
        {
            await redis.CloseAsync().ConfigureAwait(false);
            redis.Dispose();
        }

        if (_revocationRedis is { } revocationRedis)
        {
            await revocationRedis.CloseAsync().ConfigureAwait(false);
            revocationRedis.Dispose();
        }

        _stopping.Dispose();
        _syncLock.Dispose();
    }

    private async Task<RefreshChainRecord?> RevokeChainCoreAsync(string chainId, string? sessionId, DateTimeOffset keepUntil, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var shard = RedisKeys.ShardOfChain(chainId);
        var chainKey = _keys.Chain(chainId);

        // The script takes the chain off its subject's list in the same step, so it must name the subject's keys: the
        // chain's subject is read first (it never changes; the script checks it).
        RedisValue subject;
        try
        {
            subject = await Database(cancellationToken).HashGetAsync(chainKey, "sub").WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Unavailable("revoke", ex);
        }

        if (subject.IsNull || RedisKeys.ShardOfSubject(subject.ToString()) != shard)
        {
            return null;
        }

        var result = await EvaluateRevocationAsync(
            "revoke",
            RedisScripts.RevokeChain,
            [chainKey, _keys.Logs[shard], _keys.LogKeep(shard), _keys.SubjectChains(subject.ToString()), _keys.SubjectKept(subject.ToString())],
            [Ms(now), sessionId ?? string.Empty, sessionId is null ? 0 : Ms(keepUntil), chainId, subject],
            cancellationToken).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var fields = (RedisResult[])result!;
        ApplySessions(fields, 5);
        await AwaitReplicasAsync(chainKey, cancellationToken).ConfigureAwait(false);
        return new RefreshChainRecord(chainId, fields[0].ToString(), Time((RedisValue)fields[1]), Time((RedisValue)fields[2]), Optional((RedisValue)fields[3]), Optional((RedisValue)fields[4]));
    }

    // After reuse detection revoked a chain (the rotation's script could not name the subject's keys): takes it off the
    // subject's list. The revocation is stored already, so a failure here only leaves the chain listed until the
    // subject's next Create or RevokeAll takes it off; it is logged, not thrown. On the revocations' connection, so that
    // the WAIT that follows covers it, as it covers every other write of a revocation.
    private async Task UnlistAsync(string chainId, string subject, DateTimeOffset now)
    {
        if (RedisKeys.ShardOfSubject(subject) != RedisKeys.ShardOfChain(chainId))
        {
            return;
        }

        try
        {
            await RevocationDatabase(CancellationToken.None).ScriptEvaluateAsync(
                RedisScripts.Unlist,
                [_keys.Chain(chainId), _keys.SubjectChains(subject), _keys.SubjectKept(subject)],
                [Ms(now), chainId]).ConfigureAwait(false);
            RevocationsAnswered();
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            LogUnavailable("unlist", ex, onRevocationConnection: true);
        }
    }

    private async Task ExtendSubjectChainsAsync(string subject, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var database = Database(cancellationToken);
        try
        {
            await database.KeyExpireAsync(_keys.SubjectChains(subject), ttl, ExpireWhen.GreaterThanCurrentExpiry).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Unavailable("refresh", ex);
        }
    }

    private async Task<string[]> ReadSubjectChainsAsync(RedisKey subjectChains, string operation, CancellationToken cancellationToken)
    {
        var database = Database(cancellationToken);
        try
        {
            var members = await database.SortedSetRangeByRankAsync(subjectChains).WaitAsync(cancellationToken).ConfigureAwait(false);
            return [.. members.Select(static m => m.ToString()).Where(RedisKeys.IsChainId)];
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Unavailable(operation, ex);
        }
    }

    private Task<RedisResult> EvaluateAsync(string operation, string script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken) =>
        EvaluateAsync(Database(cancellationToken), operation, script, keys, values, cancellationToken);

    // A revocation's script goes on the connection its WAIT runs on: WAIT covers the writes of that connection only.
    private async Task<RedisResult> EvaluateRevocationAsync(string operation, string script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        var database = RevocationDatabase(cancellationToken);
        try
        {
            var result = await database.ScriptEvaluateAsync(script, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
            RevocationsAnswered();
            return result;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Unavailable(operation, ex, onRevocationConnection: true);
        }
    }

    private async Task<RedisResult> EvaluateAsync(IDatabase database, string operation, string script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        try
        {
            return await database.ScriptEvaluateAsync(script, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Unavailable(operation, ex);
        }
    }

    // A revocation answers once a replica has it, so that the failover of its primary cannot lose it (WAIT cannot run
    // inside a script; it covers every write this connection sent to that primary, the script's included). WAIT holds
    // its connection until the replicas answer or the timeout passes, so it runs on the revocations' own connection,
    // never on the one the log's reads, Create and Refresh share. A revocation written on that shared connection (reuse
    // detection in Refresh, a Create that a RevokeAll overtook) is first written over on this one (Reaffirm): the
    // primary replicates in one order, so WAIT then covers it too.
    private async Task AwaitReplicasAsync(RedisKey writtenKey, CancellationToken cancellationToken, bool writtenOnSharedConnection = false)
    {
        if (_options.ReplicaAcknowledgements == 0 || _revocationRedis is not { } redis)
        {
            return;
        }

        try
        {
            var server = redis.GetServer(writtenKey, flags: CommandFlags.DemandMaster);
            if (writtenOnSharedConnection)
            {
                await redis.GetDatabase().ScriptEvaluateAsync(RedisScripts.Reaffirm, [writtenKey]).WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            var waits = _replicaWaits.GetOrAdd(server.EndPoint, static (_, state) => new ReplicaWaits(() => state.Store.WaitForReplicasAsync(state.Server)), (Store: this, Server: server));
            var (required, acknowledged) = await waits.AfterWritesAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            if (acknowledged < required)
            {
                _replicaTimeoutEndpoint = RedisEndpoints.Describe(server.EndPoint);
                Interlocked.Exchange(ref _replicaTimeoutTick, Math.Max(1, Environment.TickCount64));
                LogReplicaTimeout(server, acknowledged, required);
                throw new SessionStoreUnavailableException(UnavailableMessage);
            }

            if (required > 0)
            {
                if (Interlocked.Read(ref _replicaTimeoutTick) != 0)
                {
                    Interlocked.Exchange(ref _replicaTimeoutTick, 0);
                }

                _replicaTimeouts.Answered();
            }

            RevocationsAnswered();
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Unavailable("wait for replicas", ex, onRevocationConnection: true);
        }
    }

    // One WAIT, which every revocation ReplicaWaits hands it to shares; without a replica, none.
    private async Task<ReplicaWaitResult> WaitForReplicasAsync(IServer server)
    {
        var replicas = await ReplicaCountAsync(server).ConfigureAwait(false);
        if (replicas == 0)
        {
            if (_warnedWithoutReplicas.TryAdd(server.EndPoint, true))
            {
                RedisLog.NoReplica(_logger, RedisEndpoints.Describe(server.EndPoint));
            }

            return new ReplicaWaitResult(0, 0);
        }

        if (replicas < _options.ReplicaAcknowledgements && _warnedFewerReplicas.TryAdd(server.EndPoint, true))
        {
            // Waited for by the replicas it has: said once per primary (and by the health check while it lasts), not
            // silently.
            RedisLog.FewerReplicasThanAcknowledgements(_logger, ReplicaAcknowledgementsSetting, _options.ReplicaAcknowledgements, RedisEndpoints.Describe(server.EndPoint), replicas);
        }

        var required = Math.Min(_options.ReplicaAcknowledgements, replicas);
        var acknowledged = (long)await server.ExecuteAsync("WAIT", required, (long)_options.ReplicaAcknowledgementTimeout.TotalMilliseconds).ConfigureAwait(false);
        return new ReplicaWaitResult(required, acknowledged);
    }

    // Replicas that lag fail every revocation until they catch up: the first timeout is logged, then at most one line
    // per RepeatedFailures.Interval with how many were not; replicas that acknowledge again end the episode.
    private void LogReplicaTimeout(IServer server, long acknowledged, int required)
    {
        var line = _replicaTimeouts.Failed();
        if (!line.Write)
        {
            return;
        }

        var endpoint = RedisEndpoints.Describe(server.EndPoint);
        var timeout = _options.ReplicaAcknowledgementTimeout.TotalMilliseconds;
        if (line.NotWritten == 0)
        {
            RedisLog.ReplicaTimeout(_logger, endpoint, acknowledged, required, timeout);
        }
        else
        {
            RedisLog.ReplicaStillTimingOut(_logger, endpoint, acknowledged, required, timeout, line.NotWritten, line.SinceLastLine.TotalSeconds);
        }
    }

    private async Task<int> ReplicaCountAsync(IServer server)
    {
        var now = Environment.TickCount64;
        if (_replicaCounts.TryGetValue(server.EndPoint, out var known) && now - known.CheckedAt < (long)ReplicaCountLifetime.TotalMilliseconds)
        {
            return known.Replicas;
        }

        var replicas = await server.RoleAsync().ConfigureAwait(false) is Role.Master primary ? primary.Replicas.Count : 0;
        _replicaCounts[server.EndPoint] = (replicas, now);
        return replicas;
    }

    private async Task SynchronizeCoreAsync(IDatabase database, CancellationToken cancellationToken)
    {
        await _syncLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Everything logged before this instant is read by the reads below, so the set is current as of it.
            var startedAt = Environment.TickCount64;
            await Task.WhenAll(Enumerable.Range(0, RedisKeys.ShardCount).Select(shard => ReadShardAsync(database, shard, cancellationToken))).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastSyncTick, startedAt);
            _loaded = true;
        }
        finally
        {
            _syncLock.Release();
        }
    }

    private async Task ReadShardAsync(IDatabase database, int shard, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        while (true)
        {
            var entries = await database.StreamReadAsync(_keys.Logs[shard], _positions[shard], ReadBatch).WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                Apply(entry, now);
            }

            if (entries.Length > 0)
            {
                _positions[shard] = entries[^1].Id;
            }

            if (entries.Length < ReadBatch)
            {
                return;
            }
        }
    }

    private void Apply(StreamEntry entry, DateTimeOffset now)
    {
        var keep = entry["u"];
        if (!keep.TryParse(out long keepMs) || keepMs <= Ms(now))
        {
            return;
        }

        if (entry["s"] is { IsNull: false } sessionId)
        {
            _revocations.AddSession(sessionId!, DateTimeOffset.FromUnixTimeMilliseconds(keepMs));
        }
        else if (entry["a"] is { IsNull: false } subject && entry["b"].TryParse(out long beforeMs))
        {
            _revocations.AddSubject(subject!, DateTimeOffset.FromUnixTimeMilliseconds(beforeMs), DateTimeOffset.FromUnixTimeMilliseconds(keepMs));
        }
        else
        {
            RedisLog.EntryIgnored(_logger, entry.Id.ToString());
        }
    }

    private async Task FollowAsync(CancellationToken stopping)
    {
        // A replay that failed at start was reported by StartAsync, and no tolerance applies before a first complete
        // read: the first success here is that replay, not a recovery.
        var failing = !_loaded;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var replayed = _loaded;
                await SynchronizeCoreAsync(_redis!.GetDatabase(), stopping).ConfigureAwait(false);
                _passwordRefused = false;
                if (_failures.Answered() is { } outage)
                {
                    RedisLog.Available(_logger, _endpoints, outage.Failures, outage.NotWritten, outage.Duration.TotalSeconds);
                }

                if (failing)
                {
                    failing = false;
                    if (replayed)
                    {
                        RedisLog.LogResumed(_logger, _endpoints);
                    }
                    else
                    {
                        RedisLog.LogReplayed(_logger, _endpoints, _revocations.Count);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                if (!failing)
                {
                    failing = true;
                    RedisLog.LogUnreachable(_logger, _endpoints, ex.GetType().Name, _options.StalenessTolerance.TotalSeconds);
                }

                NotePasswordRefusal(ex);
            }

            var tick = Environment.TickCount64;
            if (tick - _lastPurgeTick >= PurgeEveryMilliseconds)
            {
                _lastPurgeTick = tick;
                _revocations.Purge(_timeProvider.GetUtcNow());
            }

            try
            {
                // The poll cadence is real time whatever the lifecycle's clock: it is about reaching Redis, not about expiry.
                await Task.Delay(_options.PollInterval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void ApplySessions(RedisResult[] values, int start)
    {
        for (var i = start; i + 1 < values.Length; i += 2)
        {
            _revocations.AddSession(values[i].ToString(), Time((RedisValue)values[i + 1]));
        }
    }

    private IDatabase Database(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var redis = _redis ?? throw new InvalidOperationException("RedisSessionStore was not started: call StartAsync, or register it with AddRedisSessionStore() in a host.");
        return redis.GetDatabase();
    }

    private IDatabase RevocationDatabase(CancellationToken cancellationToken)
    {
        var shared = Database(cancellationToken);
        return _revocationRedis is { } redis ? redis.GetDatabase() : shared;
    }

    // The revocations' connection: the application's configuration, but a WAIT may take the whole
    // ReplicaAcknowledgementTimeout (up to 30 s), beyond the client's own timeout (5 s by default), which would otherwise
    // fail it first; a command queued behind one WAIT keeps the client's own timeout for itself.
    private ConfigurationOptions RevocationConfiguration()
    {
        var configuration = _configuration.Clone();
        configuration.AsyncTimeout = checked(_configuration.AsyncTimeout + (int)_options.ReplicaAcknowledgementTimeout.TotalMilliseconds);
        return configuration;
    }

    private static int ShardOf(RefreshChainRecord chain)
    {
        if (!RedisKeys.IsChainId(chain.ChainId) || RedisKeys.ShardOfChain(chain.ChainId) != RedisKeys.ShardOfSubject(chain.Subject))
        {
            throw new ArgumentException("A chain id is 32 lower-case hexadecimal digits beginning with RefreshChainRecord.SubjectTag(subject).", nameof(chain));
        }

        return RedisKeys.ShardOfChain(chain.ChainId);
    }

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException;

    private SessionStoreUnavailableException Unavailable(string operation, Exception ex, bool onRevocationConnection = false)
    {
        LogUnavailable(operation, ex, onRevocationConnection);
        return new SessionStoreUnavailableException(UnavailableMessage);
    }

    // An outage fails every call, thousands a second under load: its first failure is logged, then at most one line per
    // RepeatedFailures.Interval with how many were not, and the follower's next clean poll logs the end. The revocations'
    // own connection (when replicas are waited for) can be down while the follower reads the log: its failures are an
    // outage of their own, named as such, which only a revocation written on it again ends.
    private void LogUnavailable(string operation, Exception ex, bool onRevocationConnection = false)
    {
        var separate = onRevocationConnection && _revocationRedis is not null;
        var failures = separate ? _revocationFailures : _failures;
        var endpoints = separate ? _revocationEndpoints : _endpoints;
        RedisLog.Failed(_logger, failures.Failed(), operation, endpoints, ex, _passwordRefused);
    }

    // A Redis that refuses the password (changed with CONFIG SET requirepass, an ACL user removed) drops the connection
    // and refuses each reconnection, but the client reports only the first failure (the connection closed) and then that
    // no connection is available: the same as a Redis that is down. A connection of its own, opened at most every
    // PasswordProbeInterval while the log cannot be read, tells the two apart.
    private void NotePasswordRefusal(Exception ex)
    {
        if (RedisLog.IsPasswordRefused(ex))
        {
            PasswordWasRefused();
            return;
        }

        var now = Environment.TickCount64;
        if (ex is not RedisConnectionException || now - Interlocked.Read(ref _lastProbeTick) < (long)PasswordProbeInterval.TotalMilliseconds
            || Interlocked.CompareExchange(ref _probing, 1, 0) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _lastProbeTick, now);
        _ = Task.Run(async () =>
        {
            try
            {
                if (await ProbePasswordRefusedAsync().ConfigureAwait(false))
                {
                    PasswordWasRefused();
                }
            }
            finally
            {
                Interlocked.Exchange(ref _probing, 0);
            }
        });
    }

    private void PasswordWasRefused()
    {
        // The line is written before the health check can say so, so that whoever reads the check's "refused the
        // password" finds the line that says which setting to fix; the lock keeps it to one line per refusal.
        lock (_passwordRefusalLock)
        {
            if (!_passwordRefused && Volatile.Read(ref _disposed) == 0)
            {
                RedisLog.PasswordRefused(_logger, _endpoints, ConfigurationSetting);
                _passwordRefused = true;
            }
        }
    }

    // Connects once with the configuration, failing rather than retrying: whether Redis answered and refused the login.
    private async Task<bool> ProbePasswordRefusedAsync()
    {
        var probe = _configuration.Clone();
        probe.AbortOnConnectFail = true;
        probe.ConnectRetry = 1;
        probe.ConnectTimeout = Math.Min(probe.ConnectTimeout, (int)PasswordProbeTimeout.TotalMilliseconds);
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(probe).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            return false;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            return RedisLog.IsPasswordRefused(ex);
        }
    }

    // A command answered on the revocations' own connection: ends its outage (RepeatedFailures.Answered: once nothing failed
    // since the answer before).
    private void RevocationsAnswered()
    {
        if (_revocationRedis is not null && _revocationFailures.Answered() is { } outage)
        {
            RedisLog.Available(_logger, _revocationEndpoints, outage.Failures, outage.NotWritten, outage.Duration.TotalSeconds);
        }
    }

    private SessionStoreLimitException Limit(string what)
    {
        var line = _limitLines.Failed();
        if (line.Write)
        {
            if (line.NotWritten == 0)
            {
                RedisLog.LimitReached(_logger, what);
            }
            else
            {
                RedisLog.LimitStillReached(_logger, what, line.NotWritten, line.SinceLastLine.TotalSeconds);
            }
        }

        return new SessionStoreLimitException("The session store refused the write: " + what + ".");
    }

    private static int ShardCap(int cap) => (cap + RedisKeys.ShardCount - 1) / RedisKeys.ShardCount;

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(RedisValue milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(milliseconds.ToString(), CultureInfo.InvariantCulture));

    private static string? Optional(RedisValue value) => value.IsNullOrEmpty ? null : value.ToString();

    private static Func<SessionStoreOptions> Fixed(SessionStoreOptions options) => () => options;


    private static RedisSessionStoreOptions Value(IOptions<RedisSessionStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
    }
}

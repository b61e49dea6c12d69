using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sessions.Internal;
using Sessions.Lifecycle.Internal;

namespace Sessions.Lifecycle;

/// <summary>
/// The embedded session store: refresh chains and revocations in this process's memory. The default of a session
/// server, so that it works with no set-up; with more than one instance, use a shared store (Sessions.Redis), since
/// what is stored here is seen by this instance only and is lost on restart.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe and linearizable: every write takes one lock, so a rotation and a revocation never interleave. Its
/// revocation list is always current, so <see cref="Check"/> never answers <see cref="RevocationStatus.Unknown"/>.
/// </para>
/// <para>
/// Bounded: at most <see cref="SessionStoreOptions.MaxChains"/> chains, <see cref="SessionStoreOptions.MaxChainsPerSubject"/>
/// per subject, <see cref="SessionStoreOptions.MaxRefreshTokensPerChain"/> refresh tokens per chain, and
/// <see cref="SessionStoreOptions.MaxRevocations"/> revocations of sessions and subjects it knows nothing of. A timer on
/// the <see cref="TimeProvider"/> drops, every <see cref="SessionStoreOptions.PurgeInterval"/>, whatever can no longer
/// be accepted — never sooner.
/// </para>
/// </remarks>
public sealed class InMemorySessionStore : ISessionStore, ISessionRevocationList, IDisposable
{
    private readonly SessionRevocationSet _revocations = new();
    private readonly Dictionary<string, Chain> _chains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Chain> _sessionChains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubjectChains> _subjectChains = new(StringComparer.Ordinal);

    // The revocations of sessions and subjects the store knew nothing of ("s:" + id, "u:" + subject), with when they
    // expire: what MaxRevocations caps. Revocations of known chains are not counted.
    private readonly Dictionary<string, DateTimeOffset> _unknownRevocations = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Func<SessionStoreOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    // A caller at a cap can be refused at the rate it calls (a refresh token's holder, at MaxRefreshTokensPerChain,
    // needs no key): the first refusal is logged, then at most one line per RepeatedFailures.Interval with the count.
    private readonly RepeatedFailures _limitLines;
    private readonly ITimer _purgeTimer;
    private TimeSpan _purgeInterval;

    /// <summary>Creates a store with the given options (the defaults when <see langword="null"/>).</summary>
    /// <param name="options">Caps, purge interval and unavailable behaviour; <see cref="SessionStoreOptions"/>'s defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock and timer; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> break a rule (each named, <c>SessionStoreOptions.MaxChains</c>).</exception>
    public InMemorySessionStore(SessionStoreOptions? options = null, TimeProvider? timeProvider = null)
        : this(SessionStoreOptionsValidator.Fixed(options ?? new SessionStoreOptions()), timeProvider ?? TimeProvider.System, NullLogger.Instance)
    {
    }

    /// <summary>Creates a store that follows option changes (for dependency injection).</summary>
    /// <param name="options">Caps, purge interval and unavailable behaviour.</param>
    /// <param name="timeProvider">The clock and timer.</param>
    /// <param name="logger">Receives a warning when a cap refuses a write.</param>
    public InMemorySessionStore(IOptionsMonitor<SessionStoreOptions> options, TimeProvider timeProvider, ILogger<InMemorySessionStore> logger)
        : this(LastValidOptions<SessionStoreOptions>.Reader(options), timeProvider, logger)
    {
    }

    private InMemorySessionStore(Func<SessionStoreOptions> options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _limitLines = new RepeatedFailures(timeProvider);
        var interval = _purgeInterval = options().PurgeInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(options));
        _purgeTimer = _timeProvider.CreateTimer(static state => ((InMemorySessionStore)state!).PurgeOnTimer(), this, interval, interval);
    }

    /// <summary>How many revocations the store holds (session ids and subjects).</summary>
    public int RevocationCount => _revocations.Count;

    /// <summary>How many refresh chains the store holds, revoked ones included until they can no longer live.</summary>
    public int ChainCount
    {
        get
        {
            lock (_lock)
            {
                return _chains.Count;
            }
        }
    }

    /// <summary>How many refresh tokens the store remembers, over every chain.</summary>
    public int RefreshTokenCount
    {
        get
        {
            lock (_lock)
            {
                return _chains.Values.Sum(static chain => chain.Links.Count);
            }
        }
    }

    /// <summary>How many chains the subject's list holds: what the per-subject cap, listing and revoking all go through.</summary>
    internal int ListedChainCount(string subject)
    {
        lock (_lock)
        {
            return _subjectChains.TryGetValue(subject, out var chains) ? chains.Listed.Count : 0;
        }
    }

    /// <inheritdoc/>
    public RevocationUnavailableBehavior UnavailableBehavior => _options().UnavailableBehavior;

    /// <inheritdoc/>
    public RevocationStatus Check(Session session) =>
        _revocations.Contains(session) ? RevocationStatus.Revoked : RevocationStatus.NotRevoked;

    /// <inheritdoc/>
    public Task CreateChainAsync(RefreshChainRecord chain, RefreshTokenRecord first, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(first);
        cancellationToken.ThrowIfCancellationRequested();
        var options = _options();
        lock (_lock)
        {
            if (_chains.ContainsKey(chain.ChainId))
            {
                throw new ArgumentException($"The chain {chain.ChainId} exists already.", nameof(chain));
            }

            // Revoked chains left the list when revoked; those past their absolute end, or idle (their newest refresh
            // token expired, so they can issue nothing more), leave it now — as of the sign-in's clock, read as a refresh
            // reads it. None holds a slot (revoking or abandoning a device makes room for a new sign-in), so what is left
            // is what the cap counts.
            var now = _timeProvider.GetUtcNow();
            _subjectChains.TryGetValue(chain.Subject, out var subjectChains);
            if (subjectChains is not null)
            {
                foreach (var listed in subjectChains.Listed.Where(c => c.Revoked || c.Record.ExpiresAt <= chain.CreatedAt || c.Head.Record.ExpiresAt <= chain.CreatedAt || c.KeepUntil <= now).ToList())
                {
                    subjectChains.Unlist(listed);
                }
            }

            if (_chains.Count >= options.MaxChains)
            {
                throw Limit($"the store holds {options.MaxChains} refresh chains ({options.SettingPrefix}{nameof(options.MaxChains)}); retry once older chains have expired");
            }

            // A chain from before the subject's latest revocation of all its sessions (the sign-in read the clock, then
            // that revocation came first) is stored revoked, as if the revocation had found it: it holds no slot.
            var revokedWithSubject = _revocations.IsSubjectRevoked(chain.Subject, chain.CreatedAt);
            if (!revokedWithSubject && subjectChains is not null && subjectChains.Listed.Count >= options.MaxChainsPerSubject)
            {
                throw Limit($"the user has {options.MaxChainsPerSubject} live refresh chains ({options.SettingPrefix}{nameof(options.MaxChainsPerSubject)}); revoke some (Revoke or RevokeAll) before creating another");
            }

            if (subjectChains is null)
            {
                subjectChains = new SubjectChains();
                _subjectChains.Add(chain.Subject, subjectChains);
            }

            var created = new Chain(chain);
            _chains.Add(chain.ChainId, created);
            subjectChains.Listed.Add(created);
            AddLinkLocked(created, first);
            if (revokedWithSubject)
            {
                RevokeChainLocked(created, now);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<RefreshChainRecord?> FindChainAsync(string chainId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_chains.TryGetValue(chainId, out var chain) ? chain.Record : null);
        }
    }

    /// <inheritdoc/>
    public Task<RefreshTokenRotation> RotateRefreshTokenAsync(RefreshTokenRotationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(RotateLocked(request, _options()));
        }
    }

    /// <inheritdoc/>
    public Task<bool> RevokeChainAsync(string chainId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_chains.TryGetValue(chainId, out var chain))
            {
                return Task.FromResult(false);
            }

            RevokeChainLocked(chain, now);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task<RefreshChainRecord?> RevokeSessionAsync(string sessionId, DateTimeOffset keepUntil, DateTimeOffset now, bool verified = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        var options = _options();
        lock (_lock)
        {
            // A session leads to its chain while it or the refresh token issued with it can be accepted (the chain's
            // newest, which ListChains shows, for as long as the chain can refresh), decided as of now rather than of
            // the last purge: the Redis store answers by the same rule, and has no purge.
            if (_sessionChains.TryGetValue(sessionId, out var chain) && chain.Links.Exists(link => link.Record.SessionId == sessionId && !IsDead(link, now)))
            {
                RevokeChainLocked(chain, now);
                _revocations.AddSession(sessionId, keepUntil);
                return Task.FromResult<RefreshChainRecord?>(chain.Record);
            }

            if (!verified && !TryCountUnknownLocked("s:" + sessionId, keepUntil, now, options))
            {
                throw Limit($"the store holds {options.MaxRevocations} revocations ({options.SettingPrefix}{nameof(options.MaxRevocations)}) and knows nothing of this session; revoke it by its token instead, or retry once older revocations have expired");
            }

            _revocations.AddSession(sessionId, keepUntil);
            return Task.FromResult<RefreshChainRecord?>(null);
        }
    }

    /// <inheritdoc/>
    public Task RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        cancellationToken.ThrowIfCancellationRequested();
        var options = _options();
        lock (_lock)
        {
            // A subject the store still holds a chain of, listed or not (revoked, or past its absolute end, until
            // nothing it issued can be accepted), is not unknown: its revocation is not counted against the cap.
            _subjectChains.TryGetValue(subject, out var chains);
            var known = chains is not null && (chains.UnlistedKeepUntil > issuedAtOrBefore || chains.Listed.Any(c => c.KeepUntil > issuedAtOrBefore));
            if (!known && !TryCountUnknownLocked("u:" + subject, keepUntil, issuedAtOrBefore, options))
            {
                throw Limit($"the store holds {options.MaxRevocations} revocations ({options.SettingPrefix}{nameof(options.MaxRevocations)}) and knows no session of this user; retry once older revocations have expired");
            }

            // The subject's revocation covers its sessions issued without a chain, and every session of a chain it no
            // longer lists; its listed chains are revoked one by one, each kept as long as the chain could have lived, so
            // no refresh token of the subject outlives the call. The list is empty afterwards.
            _revocations.AddSubject(subject, issuedAtOrBefore, keepUntil);
            foreach (var chain in chains?.Listed.ToList() ?? [])
            {
                if (chain.KeepUntil > issuedAtOrBefore)
                {
                    RevokeChainLocked(chain, issuedAtOrBefore);
                }

                chains!.Unlist(chain);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RefreshChainSummary>> ListChainsAsync(string subject, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<RefreshChainSummary> live = !_subjectChains.TryGetValue(subject, out var chains)
                ? []
                : chains.Listed
                    .Where(chain => !chain.Revoked && chain.Record.ExpiresAt > now && chain.Head.Record.ExpiresAt > now)
                    .OrderByDescending(static chain => chain.Record.CreatedAt)
                    .Select(static chain => new RefreshChainSummary(
                        chain.Record.ChainId, chain.Head.Record.SessionId, chain.Record.CreatedAt, chain.Head.Record.IssuedAt, chain.Head.Record.ExpiresAt, chain.Record.Description))
                    .ToList();
            return Task.FromResult(live);
        }
    }

    /// <summary>Drops now whatever can no longer be accepted (the timer does it periodically).</summary>
    public void Purge()
    {
        var now = _timeProvider.GetUtcNow();
        _revocations.Purge(now);
        lock (_lock)
        {
            foreach (var (key, until) in _unknownRevocations)
            {
                if (until <= now)
                {
                    _unknownRevocations.Remove(key);
                }
            }

            foreach (var (id, chain) in _chains)
            {
                if (chain.KeepUntil <= now)
                {
                    _chains.Remove(id);
                    foreach (var link in chain.Links)
                    {
                        _sessionChains.Remove(link.Record.SessionId);
                    }

                    if (_subjectChains.TryGetValue(chain.Record.Subject, out var subjectChains))
                    {
                        subjectChains.Listed.Remove(chain);
                    }
                }
                else
                {
                    // A link whose refresh token and session have both expired covers nothing any more.
                    chain.Links.RemoveAll(link => link != chain.Head && IsDead(link, now) && Forget(link));
                }
            }

            foreach (var (subject, subjectChains) in _subjectChains)
            {
                if (subjectChains.Listed.Count == 0 && subjectChains.UnlistedKeepUntil <= now)
                {
                    _subjectChains.Remove(subject);
                }
            }
        }
    }

    /// <summary>Stops the purge timer.</summary>
    public void Dispose() => _purgeTimer.Dispose();

    /// <summary>Purges, then follows a reloaded <see cref="SessionStoreOptions.PurgeInterval"/>.</summary>
    private void PurgeOnTimer()
    {
        Purge();
        var interval = _options().PurgeInterval;
        if (interval != _purgeInterval)
        {
            _purgeInterval = interval;
            _purgeTimer.Change(interval, interval);
        }
    }

    private RefreshTokenRotation RotateLocked(RefreshTokenRotationRequest request, SessionStoreOptions options)
    {
        if (!_chains.TryGetValue(request.ChainId, out var chain) || chain.Find(request.PresentedHash) is not { } link)
        {
            return new RefreshTokenRotation(RefreshTokenRotationStatus.NotFound);
        }

        var now = request.Now;
        if (chain.Revoked)
        {
            return new RefreshTokenRotation(RefreshTokenRotationStatus.Revoked);
        }

        if (link.UsedAt is { } usedAt)
        {
            // Its successor is handed back while the store still keeps it sealed (see KeepSealedSuccessors); a token
            // used before the chain's last SealedSuccessorsKept rotations is a reuse even within the grace period.
            if (now - usedAt <= request.GracePeriod && link.SealedSuccessor is { } sealedSuccessor)
            {
                return new RefreshTokenRotation(RefreshTokenRotationStatus.RotatedWithinGracePeriod, sealedSuccessor);
            }

            RevokeChainLocked(chain, now);
            return new RefreshTokenRotation(RefreshTokenRotationStatus.Reused);
        }

        // A chain off its subject's list was found ended, or idle, by a call that reached the store first: it issues
        // nothing more, even to a refresh whose clock was read earlier, so that no live chain escapes the cap, the list
        // and RevokeAll.
        if (link.Record.ExpiresAt <= now || chain.Record.ExpiresAt <= now || chain.Unlisted)
        {
            return new RefreshTokenRotation(RefreshTokenRotationStatus.Expired);
        }

        if (chain.Links.Count >= options.MaxRefreshTokensPerChain)
        {
            // Forget the oldest used tokens whose sessions can no longer be accepted; if every remembered session is
            // still live, the client refreshes far more often than sessions expire: refuse rather than grow.
            var excess = chain.Links.Count - options.MaxRefreshTokensPerChain + 1;
            chain.Links.RemoveAll(candidate => excess > 0 && candidate.UsedAt is not null && candidate.Record.SessionExpiresAt <= now && now - candidate.UsedAt > request.GracePeriod && Forget(candidate) && excess-- > 0);
            if (chain.Links.Count >= options.MaxRefreshTokensPerChain)
            {
                throw Limit($"the refresh chain holds {options.MaxRefreshTokensPerChain} live sessions ({options.SettingPrefix}{nameof(options.MaxRefreshTokensPerChain)}): it is refreshed far more often than sessions expire; refresh when the session is about to expire");
            }
        }

        link.UsedAt = now;
        link.SealedSuccessor = request.SealedSuccessor;
        KeepSealedSuccessors(chain, now, request.GracePeriod);
        AddLinkLocked(chain, request.Successor);
        return new RefreshTokenRotation(RefreshTokenRotationStatus.Rotated, request.SealedSuccessor);
    }

    // A used token's sealed successor (about 1.4 KB) is needed only while a retry of that token can get it: within the
    // grace period, and for the chain's last SealedSuccessorsKept rotations. Dropped otherwise, so that a chain refreshed
    // a thousand times does not keep a thousand replies. Walks back from the newest used token to the first one whose
    // reply is already gone, so each reply is dropped once.
    private static void KeepSealedSuccessors(Chain chain, DateTimeOffset now, TimeSpan gracePeriod)
    {
        var kept = 0;
        for (var i = chain.Links.Count - 1; i >= 0; i--)
        {
            var link = chain.Links[i];
            if (link.UsedAt is not { } usedAt)
            {
                continue;
            }

            if (link.SealedSuccessor is null)
            {
                break;
            }

            if (kept < SessionStoreLimits.SealedSuccessorsKept && now - usedAt <= gracePeriod)
            {
                kept++;
            }
            else
            {
                link.SealedSuccessor = null;
            }
        }
    }

    private void AddLinkLocked(Chain chain, RefreshTokenRecord record)
    {
        var link = new Link(record);
        chain.Links.Add(link);
        chain.Head = link;
        chain.KeepUntil = Max(chain.KeepUntil, Max(record.ExpiresAt, record.SessionExpiresAt));
        _sessionChains[record.SessionId] = chain;
    }

    private void RevokeChainLocked(Chain chain, DateTimeOffset now)
    {
        // A revoked chain leaves its subject's list at once: the subject's later calls never go through it again.
        chain.Revoked = true;
        if (_subjectChains.TryGetValue(chain.Record.Subject, out var subjectChains))
        {
            subjectChains.Unlist(chain);
        }

        foreach (var link in chain.Links)
        {
            if (link.Record.SessionExpiresAt > now)
            {
                _revocations.AddSession(link.Record.SessionId, link.Record.SessionExpiresAt);
            }
        }
    }

    // Counts a revocation of something the store knows nothing of against MaxRevocations; false when the cap refuses it.
    private bool TryCountUnknownLocked(string key, DateTimeOffset keepUntil, DateTimeOffset now, SessionStoreOptions options)
    {
        if (!_unknownRevocations.ContainsKey(key) && _unknownRevocations.Count >= options.MaxRevocations)
        {
            foreach (var (expired, until) in _unknownRevocations)
            {
                if (until <= now)
                {
                    _unknownRevocations.Remove(expired);
                }
            }

            if (_unknownRevocations.Count >= options.MaxRevocations)
            {
                return false;
            }
        }

        _unknownRevocations[key] = _unknownRevocations.TryGetValue(key, out var kept) && kept > keepUntil ? kept : keepUntil;
        return true;
    }

    private static bool IsDead(Link link, DateTimeOffset now) => link.Record.ExpiresAt <= now && link.Record.SessionExpiresAt <= now;

    private bool Forget(Link link)
    {
        _sessionChains.Remove(link.Record.SessionId);
        return true;
    }

    private SessionStoreLimitException Limit(string what)
    {
        var line = _limitLines.Failed();
        if (line.Write)
        {
            if (line.NotWritten == 0)
            {
                LifecycleLog.LimitReached(_logger, what);
            }
            else
            {
                LifecycleLog.LimitStillReached(_logger, what, line.NotWritten, line.SinceLastLine.TotalSeconds);
            }
        }

        return new SessionStoreLimitException("The session store refused the write: " + what + ".");
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;



    // A subject's chains that can still refresh, and how long the store still holds one that left the list.
    private sealed class SubjectChains
    {
        // Neither revoked nor, as of the subject's last sign-in, past their absolute end or idle (newest refresh token
        // expired): what the per-subject cap counts, what ListChainsAsync reads and what RevokeSubjectAsync revokes.
        // Bounded by the cap, however many chains the subject ended or abandoned before.
        public HashSet<Chain> Listed { get; } = [];

        // The latest KeepUntil of a chain that left the list: until then the store holds a chain of the subject, so its
        // revocation is not one of an unknown subject.
        public DateTimeOffset UnlistedKeepUntil { get; private set; }

        public void Unlist(Chain chain)
        {
            chain.Unlisted = true;
            Listed.Remove(chain);
            UnlistedKeepUntil = Max(UnlistedKeepUntil, chain.KeepUntil);
        }
    }

    private sealed class Chain(RefreshChainRecord record)
    {
        public RefreshChainRecord Record { get; } = record;

        public List<Link> Links { get; } = [];

        public Link Head { get; set; } = null!;

        // Until the last of its refresh tokens and sessions expires: nothing of it can be accepted after (a revoked one's
        // refresh tokens are refused as revoked until then). Not its absolute end, which a chain that stops refreshing or
        // is revoked never reaches alive: held that long, it kept a slot of MaxChains for up to AbsoluteLifetime.
        public DateTimeOffset KeepUntil { get; set; }

        public bool Revoked { get; set; }

        // Off its subject's list (revoked, ended or idle): it never rotates again.
        public bool Unlisted { get; set; }

        public Link? Find(string hash)
        {
            // Newest first: a presentation is almost always of the head or the token just before it.
            for (var i = Links.Count - 1; i >= 0; i--)
            {
                if (string.Equals(Links[i].Record.TokenHash, hash, StringComparison.Ordinal))
                {
                    return Links[i];
                }
            }

            return null;
        }
    }

    private sealed class Link(RefreshTokenRecord record)
    {
        public RefreshTokenRecord Record { get; } = record;

        public DateTimeOffset? UsedAt { get; set; }

        public string? SealedSuccessor { get; set; }
    }
}

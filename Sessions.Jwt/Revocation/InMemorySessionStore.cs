namespace Sessions.Jwt;

/// <summary>
/// The embedded session store: revocations and refresh tokens in this process's memory. The default of a session
/// server, so that it works with no setup; with more than one instance, use a shared store (Sessions.Redis), since
/// revocations made here are seen by this instance only and are lost on restart.
/// </summary>
/// <remarks>
/// Thread-safe. Refresh-token rotation is atomic (one lock). Every entry expires: a timer on the
/// <see cref="TimeProvider"/> purges expired revocations, refresh tokens and chains every
/// <see cref="SessionStoreOptions.PurgeInterval"/>. Its revocation list is always current, so <see cref="Check"/>
/// never answers <see cref="RevocationStatus.Unknown"/>.
/// </remarks>
public sealed class InMemorySessionStore : ISessionStore, ISessionRevocationList, IDisposable
{
    private readonly SessionRevocationSet _revocations = new();
    private readonly Dictionary<string, RefreshEntry> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Family> _families = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sessionFamilies = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _purgeTimer;

    /// <summary>Creates a store that purges expired entries every <paramref name="purgeInterval"/>.</summary>
    /// <param name="timeProvider">The clock and timer; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="purgeInterval">How often to purge; one minute when <see langword="null"/>.</param>
    public InMemorySessionStore(TimeProvider? timeProvider = null, TimeSpan? purgeInterval = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        var interval = purgeInterval ?? TimeSpan.FromMinutes(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(purgeInterval));
        _purgeTimer = _timeProvider.CreateTimer(static state => ((InMemorySessionStore)state!).Purge(), this, interval, interval);
    }

    /// <summary>How many revocations the store holds (session ids and subjects).</summary>
    public int RevocationCount => _revocations.Count;

    /// <summary>How many refresh tokens the store holds, used or not.</summary>
    public int RefreshTokenCount
    {
        get
        {
            lock (_lock)
            {
                return _tokens.Count;
            }
        }
    }

    /// <inheritdoc/>
    public RevocationStatus Check(Session session) =>
        _revocations.Contains(session) ? RevocationStatus.Revoked : RevocationStatus.NotRevoked;

    /// <inheritdoc/>
    public Task RevokeSessionAsync(string sessionId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        _revocations.AddSession(sessionId, expiresAt);
        lock (_lock)
        {
            if (_sessionFamilies.TryGetValue(sessionId, out var familyId))
            {
                RevokeFamilyLocked(familyId);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        cancellationToken.ThrowIfCancellationRequested();
        _revocations.AddSubject(subject, issuedAtOrBefore, keepUntil);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task CreateRefreshTokenAsync(RefreshTokenRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            StoreLocked(record);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<RefreshTokenRecord?> FindRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_tokens.TryGetValue(tokenHash, out var entry) ? entry.Record : null);
        }
    }

    /// <inheritdoc/>
    public Task<RefreshTokenRotation> RotateRefreshTokenAsync(string tokenHash, RefreshTokenRecord successor, DateTimeOffset now, TimeSpan reuseGracePeriod, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(successor);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(RotateLocked(tokenHash, successor, now, reuseGracePeriod));
        }
    }

    /// <inheritdoc/>
    public Task RevokeRefreshTokenFamilyAsync(string familyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(familyId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            RevokeFamilyLocked(familyId);
        }

        return Task.CompletedTask;
    }

    /// <summary>Drops expired revocations, refresh tokens and chains now (the timer does it periodically).</summary>
    public void Purge()
    {
        var now = _timeProvider.GetUtcNow();
        _revocations.Purge(now);
        lock (_lock)
        {
            foreach (var (hash, entry) in _tokens)
            {
                if (entry.Record.ExpiresAt <= now)
                {
                    _tokens.Remove(hash);
                }
            }

            foreach (var (id, family) in _families)
            {
                if (family.KeepUntil <= now)
                {
                    _families.Remove(id);
                    foreach (var (sessionId, _) in family.Sessions)
                    {
                        _sessionFamilies.Remove(sessionId);
                    }
                }
            }
        }
    }

    /// <summary>Stops the purge timer.</summary>
    public void Dispose() => _purgeTimer.Dispose();

    private RefreshTokenRotation RotateLocked(string tokenHash, RefreshTokenRecord successor, DateTimeOffset now, TimeSpan reuseGracePeriod)
    {
        if (!_tokens.TryGetValue(tokenHash, out var entry))
        {
            return new RefreshTokenRotation(RefreshTokenRotationStatus.NotFound, null);
        }

        var presented = entry.Record;
        if (!_families.TryGetValue(presented.FamilyId, out var family) || family.Revoked ||
            _revocations.IsSubjectRevoked(presented.Subject, presented.IssuedAt))
        {
            return new RefreshTokenRotation(RefreshTokenRotationStatus.Revoked, presented);
        }

        if (presented.ExpiresAt <= now || presented.FamilyExpiresAt <= now)
        {
            return new RefreshTokenRotation(RefreshTokenRotationStatus.Expired, presented);
        }

        var status = RefreshTokenRotationStatus.Rotated;
        if (entry.UsedAt is { } usedAt)
        {
            if (now - usedAt > reuseGracePeriod)
            {
                RevokeFamilyLocked(presented.FamilyId);
                return new RefreshTokenRotation(RefreshTokenRotationStatus.Reused, presented);
            }

            status = RefreshTokenRotationStatus.RotatedWithinGracePeriod;
        }
        else
        {
            entry.UsedAt = now;
        }

        StoreLocked(successor with { FamilyId = presented.FamilyId, Subject = presented.Subject, FamilyExpiresAt = presented.FamilyExpiresAt, Claims = presented.Claims });
        return new RefreshTokenRotation(status, presented);
    }

    private void StoreLocked(RefreshTokenRecord record)
    {
        _tokens[record.TokenHash] = new RefreshEntry(record);
        if (!_families.TryGetValue(record.FamilyId, out var family))
        {
            family = new Family();
            _families.Add(record.FamilyId, family);
        }

        family.Sessions.Add((record.SessionId, record.SessionExpiresAt));
        family.KeepUntil = Max(family.KeepUntil, Max(record.FamilyExpiresAt, record.SessionExpiresAt));
        _sessionFamilies[record.SessionId] = record.FamilyId;
        if (family.Revoked)
        {
            _revocations.AddSession(record.SessionId, record.SessionExpiresAt);
        }
    }

    private void RevokeFamilyLocked(string familyId)
    {
        if (!_families.TryGetValue(familyId, out var family))
        {
            return;
        }

        family.Revoked = true;
        foreach (var (sessionId, expiresAt) in family.Sessions)
        {
            _revocations.AddSession(sessionId, expiresAt);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed class RefreshEntry(RefreshTokenRecord record)
    {
        public RefreshTokenRecord Record { get; } = record;

        public DateTimeOffset? UsedAt { get; set; }
    }

    private sealed class Family
    {
        public List<(string SessionId, DateTimeOffset ExpiresAt)> Sessions { get; } = [];

        public DateTimeOffset KeepUntil { get; set; }

        public bool Revoked { get; set; }
    }
}

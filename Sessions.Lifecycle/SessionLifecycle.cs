using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sessions.Internal;
using Sessions.Lifecycle.Internal;

namespace Sessions.Lifecycle;

/// <summary>
/// The session lifecycle (<see cref="ISessionLifecycle"/>): issues sessions with refresh tokens through any
/// <see cref="ISessionIssuer"/>, rotates refresh tokens so that a chain never forks, detects reuse, and revokes by
/// session, token or subject, keeping its state in an <see cref="ISessionStore"/>.
/// </summary>
/// <remarks>
/// <para>
/// A refresh token is 48 bytes in base64url (64 characters): its chain's id and 256 random bits; the store keeps only
/// its SHA-256 hash. A refresh consumes the presented token and hands out a new session and a new refresh token in
/// the same chain. Every presentation of that token within <see cref="SessionStoreOptions.RefreshReuseGracePeriod"/>
/// of its first use gets exactly the same reply — the same refresh token and the same session token — because the
/// reply is stored sealed under a key only the presented token gives (AES-256-GCM, HKDF-SHA256); a presentation later
/// revokes the chain and every session issued from it. No refresh extends a chain past
/// <see cref="SessionStoreOptions.AbsoluteLifetime"/>. The custom claims given when a chain is created are stored with
/// it and carried by every session it issues.
/// </para>
/// <para>
/// Revocations are kept until what they cover can no longer be accepted: a session's until its expiry plus the
/// validator's clock skew (the issuer's lifetime when only the id is known); a chain's until its last refresh token
/// and session have expired; a subject's covers its chains (each kept as a chain's) and every session issued at or
/// before the call (to the millisecond for sessions whose id carries the issue time, as <c>JwtSessionIssuer</c>'s do:
/// a session issued later in the same second, a new login after "log out everywhere", stays valid).
/// </para>
/// <para>Thread-safe. Events go to every registered <see cref="ISessionEventSink"/> once the change is stored.</para>
/// </remarks>
public sealed class SessionLifecycle : ISessionLifecycle
{
    private readonly ISessionIssuer _issuer;
    private readonly ISessionValidator _validator;
    private readonly ISessionStore _store;
    private readonly Func<SessionStoreOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ISessionEventSink[] _sinks;
    private readonly ILogger _logger;

    /// <summary>Creates a lifecycle from fixed options, without event sinks or logging.</summary>
    /// <param name="issuer">Issues the sessions.</param>
    /// <param name="validator">Reads tokens presented for revocation; its clock skew sets how long revocations are kept past a token's expiry.</param>
    /// <param name="store">Keeps chains and revocations.</param>
    /// <param name="options">Refresh-token lifetimes, grace period and caps.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> break a rule (each named, <c>SessionStoreOptions.MaxChains</c>).</exception>
    public SessionLifecycle(ISessionIssuer issuer, ISessionValidator validator, ISessionStore store, SessionStoreOptions options, TimeProvider? timeProvider = null)
        : this(issuer, validator, store, SessionStoreOptionsValidator.Fixed(options), timeProvider ?? TimeProvider.System, [], NullLogger<SessionLifecycle>.Instance)
    {
    }

    /// <summary>Creates a lifecycle that follows option changes (for dependency injection).</summary>
    /// <param name="issuer">Issues the sessions.</param>
    /// <param name="validator">Reads tokens presented for revocation.</param>
    /// <param name="store">Keeps chains and revocations.</param>
    /// <param name="options">Refresh-token lifetimes, grace period and caps.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="sinks">Receive the lifecycle's events; none when empty.</param>
    /// <param name="logger">Receives event-sink failures and reuse detections.</param>
    public SessionLifecycle(ISessionIssuer issuer, ISessionValidator validator, ISessionStore store, IOptionsMonitor<SessionStoreOptions> options, TimeProvider timeProvider, IEnumerable<ISessionEventSink> sinks, ILogger<SessionLifecycle> logger)
        : this(issuer, validator, store, LastValidOptions<SessionStoreOptions>.Reader(options), timeProvider, sinks, logger)
    {
    }

    private SessionLifecycle(ISessionIssuer issuer, ISessionValidator validator, ISessionStore store, Func<SessionStoreOptions> options, TimeProvider timeProvider, IEnumerable<ISessionEventSink> sinks, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(logger);
        _issuer = issuer;
        _validator = validator;
        _store = store;
        _options = options;
        _timeProvider = timeProvider;
        _sinks = [.. sinks];
        _logger = logger;
    }

    /// <inheritdoc/>
    public async Task<RefreshTokenIssued> IssueWithRefreshTokenAsync(string subject, SessionClaims? claims = null, string? description = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (description is not null && DescriptionLength.IsTooLong(description, out var characters))
        {
            throw new ArgumentException($"The client description is {characters} characters long; at most {RefreshChainRecord.MaxDescriptionLength} are kept.", nameof(description));
        }

        var options = _options();
        var now = _timeProvider.GetUtcNow();
        var chainExpiresAt = now + options.AbsoluteLifetime;
        var issued = await _issuer.IssueAsync(subject, claims, chainExpiresAt, cancellationToken).ConfigureAwait(false);
        var chain = new RefreshChainRecord(RefreshTokens.NewChainId(subject), subject, now, chainExpiresAt, StoredClaims.Write(claims), string.IsNullOrEmpty(description) ? null : description);
        var (token, hash) = RefreshTokens.Create(chain.ChainId);
        var expiresAt = Min(now + options.RefreshTokenLifetime, chainExpiresAt);
        var first = new RefreshTokenRecord(hash, issued.SessionId.ToString("D"), issued.ExpiresAt + _validator.ClockSkew, now, expiresAt);
        await _store.CreateChainAsync(chain, first, cancellationToken).ConfigureAwait(false);
        await PublishAsync(SessionEventKind.Created, subject, first.SessionId, chain.ChainId, now).ConfigureAwait(false);
        return new RefreshTokenIssued(issued, subject, token, chain.ChainId, expiresAt) { Claims = ReadOnlyCopy(claims) };
    }

    /// <inheritdoc/>
    public async Task<SessionRefreshResult> RefreshAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        if (!RefreshTokens.TryRead(refreshToken, out var chainId, out var hash))
        {
            return new SessionRefreshResult(RefreshTokenRotationStatus.NotFound, null);
        }

        var chain = await _store.FindChainAsync(chainId, cancellationToken).ConfigureAwait(false);
        if (chain is null)
        {
            return new SessionRefreshResult(RefreshTokenRotationStatus.NotFound, null);
        }

        var options = _options();
        var now = _timeProvider.GetUtcNow();
        if (chain.ExpiresAt <= now)
        {
            return new SessionRefreshResult(RefreshTokenRotationStatus.Expired, null);
        }

        // The successor is made before the store decides, and sealed for the presented token: if this presentation is
        // the first, it becomes the token's one successor; if another came first, the store hands back that one instead
        // and this session is dropped unseen. The chain's claims go through the issuer again, limits included.
        var claims = StoredClaims.Read(chain.Claims);
        var issued = await _issuer.IssueAsync(chain.Subject, claims, chain.ExpiresAt, cancellationToken).ConfigureAwait(false);
        var (successorToken, successorHash) = RefreshTokens.Create(chainId);
        var expiresAt = Min(now + options.RefreshTokenLifetime, chain.ExpiresAt);
        var reply = new SuccessorReply(successorToken, expiresAt, issued.Token, issued.SessionId, issued.IssuedAt, issued.ExpiresAt);
        var successor = new RefreshTokenRecord(successorHash, issued.SessionId.ToString("D"), issued.ExpiresAt + _validator.ClockSkew, now, expiresAt);
        var request = new RefreshTokenRotationRequest(chainId, hash, successor, SuccessorSeal.Seal(refreshToken!, chainId, hash, reply), now, options.RefreshReuseGracePeriod);
        var rotation = await _store.RotateRefreshTokenAsync(request, cancellationToken).ConfigureAwait(false);
        switch (rotation.Status)
        {
            // The store confirms a rotation by handing back this request's own successor; a status alone (a custom
            // store's default(RefreshTokenRotation) reads as Rotated) would hand out a session nothing was stored for.
            case RefreshTokenRotationStatus.Rotated when string.Equals(rotation.SealedSuccessor, request.SealedSuccessor, StringComparison.Ordinal):
                await PublishAsync(SessionEventKind.Refreshed, chain.Subject, successor.SessionId, chainId, now).ConfigureAwait(false);
                return Success(rotation.Status, chain, claims, reply);
            case RefreshTokenRotationStatus.RotatedWithinGracePeriod
                when rotation.SealedSuccessor is { } sealedReply && SuccessorSeal.TryOpen(refreshToken!, chainId, hash, sealedReply, out var earlier):
                return Success(rotation.Status, chain, claims, earlier!);
            case RefreshTokenRotationStatus.RotatedWithinGracePeriod:
                LifecycleLog.SealBroken(_logger, chainId);
                return new SessionRefreshResult(RefreshTokenRotationStatus.NotFound, null);
            case RefreshTokenRotationStatus.Rotated:
                LifecycleLog.RotationUnconfirmed(_logger, _store.GetType().Name, chainId);
                return new SessionRefreshResult(RefreshTokenRotationStatus.NotFound, null);
            case RefreshTokenRotationStatus.Reused:
                LifecycleLog.ReuseDetected(_logger, chainId, chain.Subject);
                await PublishAsync(SessionEventKind.ReuseDetected, chain.Subject, null, chainId, now).ConfigureAwait(false);
                return new SessionRefreshResult(rotation.Status, null);
            default:
                return new SessionRefreshResult(rotation.Status, null);
        }
    }

    /// <inheritdoc/>
    public async Task<DateTimeOffset> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var now = _timeProvider.GetUtcNow();

        // Only the id is known, not the token's expiry: keep the revocation as long as a token with this id could be
        // accepted. The validator refuses a token that lives longer than Lifetime or is issued more than the clock skew
        // ahead, so one issued until now expires by now + skew + Lifetime, and is refused from a skew after that.
        var chain = await _store.RevokeSessionAsync(sessionId, now + _issuer.Lifetime + (2 * _validator.ClockSkew), now, verified: false, cancellationToken).ConfigureAwait(false);
        await PublishAsync(SessionEventKind.Revoked, chain?.Subject, sessionId, chain?.ChainId, now).ConfigureAwait(false);
        return now;
    }

    /// <inheritdoc/>
    public async Task<SessionFailureReason> RevokeTokenAsync(string? token, CancellationToken cancellationToken = default)
    {
        var result = await _validator.ValidateAsync(token, cancellationToken).ConfigureAwait(false);

        // A session already revoked (by id, or by its subject's revocation) is revoked again, idempotently, so that
        // the chain it came from ends too: a revocation by iat alone does not reach a chain created in the same second.
        var session = result.IsValid ? result.Session : result.RevokedSession;
        if (session is null)
        {
            return result.FailureReason == SessionFailureReason.Revoked ? SessionFailureReason.None : result.FailureReason;
        }

        var now = _timeProvider.GetUtcNow();
        var chain = await _store.RevokeSessionAsync(session.Id, session.ExpiresAt + _validator.ClockSkew, now, verified: true, cancellationToken).ConfigureAwait(false);
        await PublishAsync(SessionEventKind.Revoked, session.Subject, session.Id, chain?.ChainId, now).ConfigureAwait(false);
        return SessionFailureReason.None;
    }

    /// <inheritdoc/>
    public async Task<DateTimeOffset> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var now = _timeProvider.GetUtcNow();
        await _store.RevokeSubjectAsync(subject, now, now + _issuer.Lifetime + _validator.ClockSkew, cancellationToken).ConfigureAwait(false);
        await PublishAsync(SessionEventKind.RevokedAll, subject, null, null, now).ConfigureAwait(false);
        return now;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RefreshChainSummary>> ListSessionsAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        return _store.ListChainsAsync(subject, _timeProvider.GetUtcNow(), cancellationToken);
    }

    private static SessionRefreshResult Success(RefreshTokenRotationStatus status, RefreshChainRecord chain, SessionClaims? claims, SuccessorReply reply) =>
        new(status, new RefreshTokenIssued(reply.Session, chain.Subject, reply.RefreshToken, chain.ChainId, reply.RefreshExpiresAt) { Claims = ReadOnlyCopy(claims) });

    private async ValueTask PublishAsync(SessionEventKind kind, string? subject, string? sessionId, string? chainId, DateTimeOffset now)
    {
        if (_sinks.Length == 0)
        {
            return;
        }

        var sessionEvent = new SessionEvent(Guid.CreateVersion7(now).ToString("D"), kind, subject, sessionId, chainId, now);
        foreach (var sink in _sinks)
        {
            try
            {
                // Not cancellable by the caller: the change is stored, and its event should be too.
                await sink.PublishAsync(sessionEvent, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A sink's failure must not fail a change that is already stored.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LifecycleLog.EventSinkFailed(_logger, sink.GetType().Name, kind, ex.GetType().Name);
            }
        }
    }

    private static SessionClaims ReadOnlyCopy(SessionClaims? claims) =>
        claims is null || claims.Count == 0 ? SessionClaims.Empty : new SessionClaims(claims).AsReadOnly();

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

using Microsoft.Extensions.Options;
using Sessions.Jwt.Internal;

namespace Sessions.Jwt;

/// <summary>
/// Ends and renews sessions: issues sessions with refresh tokens, rotates refresh tokens (detecting reuse), and
/// revokes sessions by id, by token or by subject, through an <see cref="ISessionStore"/>.
/// </summary>
/// <remarks>
/// <para>
/// A refresh token is 256 random bits in base64url; the store keeps only its SHA-256 hash. Each refresh consumes the
/// presented token and returns a new session and a new refresh token in the same chain. A token presented again
/// within <see cref="SessionStoreOptions.RefreshReuseGracePeriod"/> of its first use gets a fresh session and refresh
/// token in the same chain (parallel refreshes of one client); later, it revokes the chain and every session issued
/// from it. No refresh extends a chain past <see cref="SessionStoreOptions.AbsoluteLifetime"/>, and sessions issued
/// by a refresh expire by then at the latest. The custom claims given when a chain is created are stored with it
/// (<see cref="RefreshTokenRecord.Claims"/>) and every session a refresh issues from the chain carries them.
/// </para>
/// <para>
/// Revocations are kept until the tokens they cover expire (allowing for the clock skew). A revocation by session id
/// alone does not know the token's expiry and keeps the entry for the configured session lifetime. A revocation of a
/// subject covers every session whose <c>iat</c> (whole seconds) is at or before the call: sessions issued in the same
/// second are revoked too.
/// </para>
/// <para>Thread-safe. Every method throws <see cref="SessionStoreUnavailableException"/> when the store cannot be reached.</para>
/// </remarks>
public sealed class SessionManager
{
    private readonly ISessionIssuer _issuer;
    private readonly ISessionValidator _validator;
    private readonly ISessionStore _store;
    private readonly Func<SessionStoreOptions> _options;
    private readonly Func<JwtSessionOptions> _sessionOptions;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a session manager from fixed options.</summary>
    /// <param name="issuer">Issues the sessions.</param>
    /// <param name="validator">Reads tokens presented for revocation.</param>
    /// <param name="store">Keeps revocations and refresh tokens.</param>
    /// <param name="options">Refresh-token lifetimes and grace period.</param>
    /// <param name="sessionOptions">The session options: their <see cref="JwtSessionOptions.Lifetime"/> and <see cref="JwtSessionOptions.ClockSkew"/> bound how long revocations are kept.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public SessionManager(ISessionIssuer issuer, ISessionValidator validator, ISessionStore store, SessionStoreOptions options, JwtSessionOptions sessionOptions, TimeProvider? timeProvider = null)
        : this(issuer, validator, store, () => options, () => sessionOptions, timeProvider ?? TimeProvider.System)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sessionOptions);
    }

    /// <summary>Creates a session manager that follows option changes (for dependency injection).</summary>
    /// <param name="issuer">Issues the sessions.</param>
    /// <param name="validator">Reads tokens presented for revocation.</param>
    /// <param name="store">Keeps revocations and refresh tokens.</param>
    /// <param name="options">Refresh-token lifetimes and grace period.</param>
    /// <param name="sessionOptions">The session options.</param>
    /// <param name="timeProvider">The clock.</param>
    public SessionManager(ISessionIssuer issuer, ISessionValidator validator, ISessionStore store, IOptionsMonitor<SessionStoreOptions> options, IOptionsMonitor<JwtSessionOptions> sessionOptions, TimeProvider timeProvider)
        : this(issuer, validator, store, () => options.CurrentValue, () => sessionOptions.CurrentValue, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sessionOptions);
    }

    private SessionManager(ISessionIssuer issuer, ISessionValidator validator, ISessionStore store, Func<SessionStoreOptions> options, Func<JwtSessionOptions> sessionOptions, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _issuer = issuer;
        _validator = validator;
        _store = store;
        _options = options;
        _sessionOptions = sessionOptions;
        _timeProvider = timeProvider;
    }

    /// <summary>Issues a session for <paramref name="subject"/> with the first refresh token of a new chain.</summary>
    /// <param name="subject">The subject (user id).</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The session and its refresh token.</returns>
    /// <exception cref="ArgumentException">The issuer refused the subject.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; no refresh token exists.</exception>
    public Task<RefreshTokenIssued> IssueWithRefreshTokenAsync(string subject, CancellationToken cancellationToken = default) =>
        IssueWithRefreshTokenAsync(subject, claims: null, cancellationToken);

    /// <summary>
    /// Issues a session for <paramref name="subject"/> carrying <paramref name="claims"/>, with the first refresh token
    /// of a new chain. The claims are stored with the chain: every session a refresh issues from it carries them too.
    /// </summary>
    /// <param name="subject">The subject (user id).</param>
    /// <param name="claims">Custom claims, checked by the issuer against its limits before anything is signed or stored; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The session and its refresh token.</returns>
    /// <exception cref="ArgumentException">The issuer refused the subject or a claim.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; no refresh token exists.</exception>
    public async Task<RefreshTokenIssued> IssueWithRefreshTokenAsync(string subject, SessionClaims? claims, CancellationToken cancellationToken = default)
    {
        var options = _options();
        var now = _timeProvider.GetUtcNow();
        var familyExpiresAt = now + options.AbsoluteLifetime;
        var issued = await IssueAsync(subject, claims, familyExpiresAt, cancellationToken).ConfigureAwait(false);
        var storedClaims = StoredClaims.Write(claims);
        var (token, hash) = RefreshTokens.Create();
        var expiresAt = Min(now + options.RefreshTokenLifetime, familyExpiresAt);
        var familyId = Guid.NewGuid().ToString("N");
        var record = new RefreshTokenRecord(hash, familyId, subject, issued.SessionId.ToString("D"), issued.ExpiresAt + Skew, now, expiresAt, familyExpiresAt, storedClaims);
        await _store.CreateRefreshTokenAsync(record, cancellationToken).ConfigureAwait(false);
        return new RefreshTokenIssued(issued, subject, token, familyId, expiresAt) { Claims = ReadOnlyCopy(claims) };
    }

    /// <summary>
    /// Exchanges a refresh token for a new session and a new refresh token in the same chain.
    /// </summary>
    /// <param name="refreshToken">The refresh token as the client presented it.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The new session and refresh token, carrying the chain's claims, or the reason there is none.</returns>
    /// <exception cref="ArgumentException">The chain's claims no longer pass the issuer's limits (lowered since the chain was created); nothing changed.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; nothing changed.</exception>
    public async Task<SessionRefreshResult> RefreshAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        if (!RefreshTokens.TryHash(refreshToken, out var hash))
        {
            return new SessionRefreshResult(RefreshTokenRotationStatus.NotFound, null);
        }

        var presented = await _store.FindRefreshTokenAsync(hash, cancellationToken).ConfigureAwait(false);
        if (presented is null)
        {
            return new SessionRefreshResult(RefreshTokenRotationStatus.NotFound, null);
        }

        var options = _options();
        var now = _timeProvider.GetUtcNow();
        if (presented.ExpiresAt <= now || presented.FamilyExpiresAt <= now)
        {
            return new SessionRefreshResult(RefreshTokenRotationStatus.Expired, null);
        }

        // The chain's claims go through the issuer again, limits included. The session is signed before the store
        // decides; if the store refuses, it is dropped unseen.
        var claims = StoredClaims.Read(presented.Claims);
        var issued = await IssueAsync(presented.Subject, claims, presented.FamilyExpiresAt, cancellationToken).ConfigureAwait(false);
        var (token, successorHash) = RefreshTokens.Create();
        var expiresAt = Min(now + options.RefreshTokenLifetime, presented.FamilyExpiresAt);
        var successor = new RefreshTokenRecord(
            successorHash, presented.FamilyId, presented.Subject, issued.SessionId.ToString("D"), issued.ExpiresAt + Skew, now, expiresAt, presented.FamilyExpiresAt, presented.Claims);
        var rotation = await _store.RotateRefreshTokenAsync(hash, successor, now, options.RefreshReuseGracePeriod, cancellationToken).ConfigureAwait(false);
        return rotation.Succeeded
            ? new SessionRefreshResult(rotation.Status, new RefreshTokenIssued(issued, presented.Subject, token, presented.FamilyId, expiresAt) { Claims = claims ?? SessionClaims.Empty })
            : new SessionRefreshResult(rotation.Status, null);
    }

    /// <summary>
    /// Revokes the session <paramref name="sessionId"/> and the refresh chain it was issued from. Its token's expiry is
    /// unknown, so the revocation is kept for the session lifetime plus clock skew. Idempotent.
    /// </summary>
    /// <param name="sessionId">The session id (<c>jti</c>).</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>When the revocation was made.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; nothing was revoked.</exception>
    public async Task<DateTimeOffset> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var now = _timeProvider.GetUtcNow();
        await _store.RevokeSessionAsync(sessionId, now + _sessionOptions().Lifetime + Skew, cancellationToken).ConfigureAwait(false);
        return now;
    }

    /// <summary>
    /// Revokes the session of <paramref name="token"/>, which must be a valid token (a revoked one is accepted: the
    /// call is idempotent), and the refresh chain it was issued from.
    /// </summary>
    /// <param name="token">The session token.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns><see cref="SessionFailureReason.None"/> once revoked; otherwise why the token cannot be revoked (malformed, expired, ...).</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; nothing was revoked.</exception>
    public async Task<SessionFailureReason> RevokeTokenAsync(string? token, CancellationToken cancellationToken = default)
    {
        var result = await _validator.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return result.FailureReason == SessionFailureReason.Revoked ? SessionFailureReason.None : result.FailureReason;
        }

        await _store.RevokeSessionAsync(result.Session.Id, result.Session.ExpiresAt + Skew, cancellationToken).ConfigureAwait(false);
        return SessionFailureReason.None;
    }

    /// <summary>
    /// Revokes every session of <paramref name="subject"/> issued until now (the current second included) and every
    /// refresh token issued to it until now. Sessions issued afterwards are not affected.
    /// </summary>
    /// <param name="subject">The subject (user id).</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The instant at or before which sessions are revoked.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; nothing was revoked.</exception>
    public async Task<DateTimeOffset> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var now = _timeProvider.GetUtcNow();
        await _store.RevokeSubjectAsync(subject, now, now + _sessionOptions().Lifetime + Skew, cancellationToken).ConfigureAwait(false);
        return now;
    }

    private TimeSpan Skew => _sessionOptions().ClockSkew;

    private async ValueTask<IssuedSession> IssueAsync(string subject, SessionClaims? claims, DateTimeOffset notAfter, CancellationToken cancellationToken) =>
        _issuer is JwtSessionIssuer jwt
            ? jwt.Issue(subject, claims, notAfter)
            : await _issuer.IssueAsync(subject, claims, cancellationToken).ConfigureAwait(false);

    private static SessionClaims ReadOnlyCopy(SessionClaims? claims) =>
        claims is null || claims.Count == 0 ? SessionClaims.Empty : new SessionClaims(claims).AsReadOnly();

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

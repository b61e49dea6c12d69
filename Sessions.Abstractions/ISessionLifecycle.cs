namespace Sessions;

/// <summary>
/// The session lifecycle: sessions with refresh tokens, their rotation, and revocation by session, token or subject.
/// It issues through an <see cref="ISessionIssuer"/> and keeps its state in an <see cref="ISessionStore"/>.
/// </summary>
/// <remarks>
/// <para>Its guarantees, whatever the concurrency and however many instances share the store:</para>
/// <list type="bullet">
/// <item>A revocation is permanent for what it covers: after <see cref="RevokeSubjectAsync"/> at T no session and no
/// refresh token issued to the subject at or before T is accepted again; after <see cref="RevokeSessionAsync"/> or
/// <see cref="RevokeTokenAsync"/> the chain the session came from never refreshes again.</item>
/// <item>A chain is a chain: every refresh token has at most one successor; presentations within the grace period all
/// get the same successor (the same refresh token and the same session token); a presentation after it revokes the
/// chain and every session issued from it.</item>
/// <item>Refresh racing a revocation is linearizable: nothing a refresh produced survives a revocation that covers it.</item>
/// <item>State is bounded: the store refuses writes past its documented caps (<see cref="SessionStoreLimitException"/>).</item>
/// </list>
/// <para>Every method throws <see cref="SessionStoreUnavailableException"/> when the store cannot be reached.</para>
/// </remarks>
public interface ISessionLifecycle
{
    /// <summary>Issues a session for <paramref name="subject"/> with the first refresh token of a new chain.</summary>
    /// <param name="subject">The subject (user id).</param>
    /// <param name="claims">Custom claims every session of the chain carries; <see langword="null"/> for none.</param>
    /// <param name="description">A short description of the client (device name, user agent), at most <see cref="RefreshChainRecord.MaxDescriptionLength"/> characters; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The session and its refresh token.</returns>
    /// <exception cref="ArgumentException">The issuer refused the subject or a claim, or the description is too long.</exception>
    /// <exception cref="SessionStoreLimitException">The subject has as many live chains as the store allows.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; no refresh token exists.</exception>
    Task<RefreshTokenIssued> IssueWithRefreshTokenAsync(string subject, SessionClaims? claims = null, string? description = null, CancellationToken cancellationToken = default);

    /// <summary>Exchanges a refresh token for a new session and a new refresh token in the same chain.</summary>
    /// <param name="refreshToken">The refresh token as the client presented it.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The session and refresh token, or why there are none.</returns>
    /// <exception cref="ArgumentException">The chain's claims no longer pass the issuer's limits; nothing changed.</exception>
    /// <exception cref="SessionStoreLimitException">The chain holds as many live sessions as the store allows; nothing changed.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached or did not acknowledge the write: the call may not have taken effect, or not durably; it may be retried.</exception>
    Task<SessionRefreshResult> RefreshAsync(string? refreshToken, CancellationToken cancellationToken = default);

    /// <summary>Revokes the session <paramref name="sessionId"/> and the chain it was issued from. Idempotent.</summary>
    /// <param name="sessionId">The session id (<c>jti</c>).</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>When the revocation was made.</returns>
    /// <exception cref="SessionStoreLimitException">The session is unknown to the store and its cap of such revocations is reached.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; nothing is known to be revoked.</exception>
    Task<DateTimeOffset> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes the session of <paramref name="token"/> (a valid or already revoked token: the holder ending their own
    /// session) and the chain it was issued from.
    /// </summary>
    /// <param name="token">The session token.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns><see cref="SessionFailureReason.None"/> once revoked; otherwise why the token cannot be revoked.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; nothing is known to be revoked.</exception>
    Task<SessionFailureReason> RevokeTokenAsync(string? token, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes every session and every refresh chain of <paramref name="subject"/> issued until now. Sessions issued
    /// afterwards are not affected, those of the same second included when their id carries the issue time to the
    /// millisecond (a version 7 UUID, as the JWT issuer makes them); a session whose id does not is taken as issued at
    /// the start of its <c>iat</c> second.
    /// </summary>
    /// <param name="subject">The subject (user id).</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The instant at or before which sessions are revoked.</returns>
    /// <exception cref="SessionStoreLimitException">The subject is unknown to the store and its cap of such revocations is reached.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; nothing is known to be revoked.</exception>
    Task<DateTimeOffset> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>Lists the live refresh chains of <paramref name="subject"/> ("your devices"), newest first.</summary>
    /// <param name="subject">The subject (user id).</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The chains; empty when there are none.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached.</exception>
    Task<IReadOnlyList<RefreshChainSummary>> ListSessionsAsync(string subject, CancellationToken cancellationToken = default);
}

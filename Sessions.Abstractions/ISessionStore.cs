namespace Sessions;

/// <summary>
/// Where revocations and refresh tokens are kept: in memory for one instance, or shared (Redis) by every instance of
/// a session server. Writes complete only once the store accepted them.
/// </summary>
/// <remarks>
/// <para>
/// Every entry expires on its own: a revocation when the newest token it covers would have expired, a refresh token
/// at its expiry, a chain at its absolute end. Implementations are thread-safe.
/// </para>
/// <para>
/// Every method throws <see cref="SessionStoreUnavailableException"/> when the backing store cannot be reached; the
/// in-memory store never does.
/// </para>
/// </remarks>
public interface ISessionStore
{
    /// <summary>
    /// Revokes one session, and the refresh-token chain it was issued from, if any. Idempotent.
    /// </summary>
    /// <param name="sessionId">The session id (<c>jti</c>).</param>
    /// <param name="expiresAt">When the session's token expires: the revocation is kept until then.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>A task that completes once the revocation is stored.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached.</exception>
    Task RevokeSessionAsync(string sessionId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes every session of <paramref name="subject"/> issued at or before <paramref name="issuedAtOrBefore"/>, and
    /// every refresh token of the subject issued by then. A later call with an earlier instant changes nothing.
    /// </summary>
    /// <param name="subject">The subject (user id).</param>
    /// <param name="issuedAtOrBefore">Sessions whose <c>iat</c> is at or before this instant are revoked.</param>
    /// <param name="keepUntil">When the longest session issued by then would have expired: the revocation is kept until then.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>A task that completes once the revocation is stored.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached.</exception>
    Task RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default);

    /// <summary>Stores the first refresh token of a new chain, with its <see cref="RefreshTokenRecord.Claims"/> if any.</summary>
    /// <param name="record">The token's record; its <see cref="RefreshTokenRecord.FamilyId"/> is new.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>A task that completes once the record is stored.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached.</exception>
    Task CreateRefreshTokenAsync(RefreshTokenRecord record, CancellationToken cancellationToken = default);

    /// <summary>Reads a refresh token's record, claims included, without changing it.</summary>
    /// <param name="tokenHash">The token's SHA-256 hash, base64url.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The record, or <see langword="null"/> when there is none.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached.</exception>
    Task<RefreshTokenRecord?> FindRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Consumes a refresh token and stores its successor, atomically: of two callers presenting the same unused token
    /// exactly one sees <see cref="RefreshTokenRotationStatus.Rotated"/>. A token used before is accepted again only
    /// within <paramref name="reuseGracePeriod"/> of its first use; after that, presenting it revokes the chain and
    /// every session issued from it (<see cref="RefreshTokenRotationStatus.Reused"/>).
    /// </summary>
    /// <param name="tokenHash">The presented token's hash.</param>
    /// <param name="successor">The successor: same family, subject, family expiry and claims as the presented token (a store keeps the presented token's).</param>
    /// <param name="now">The current time.</param>
    /// <param name="reuseGracePeriod">How long after its first use a token is still accepted.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>What happened, with the presented token's record.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached.</exception>
    Task<RefreshTokenRotation> RotateRefreshTokenAsync(string tokenHash, RefreshTokenRecord successor, DateTimeOffset now, TimeSpan reuseGracePeriod, CancellationToken cancellationToken = default);

    /// <summary>Revokes a refresh-token chain and every session issued from it. Idempotent.</summary>
    /// <param name="familyId">The chain.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>A task that completes once the revocation is stored.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached.</exception>
    Task RevokeRefreshTokenFamilyAsync(string familyId, CancellationToken cancellationToken = default);
}

namespace Sessions;

/// <summary>
/// Where the session lifecycle keeps refresh chains and revocations: in memory for one instance, or shared (Redis) by
/// every instance of a session server. The lifecycle (<see cref="ISessionLifecycle"/>) decides what to write; a store
/// makes each write atomic and durable and keeps every entry exactly as long as what it covers can live.
/// </summary>
/// <remarks>
/// <para>
/// The guarantees a store upholds, whatever the concurrency (every operation is linearizable):
/// a chain's refresh token has at most one successor (<see cref="RotateRefreshTokenAsync"/>); a revoked chain never
/// rotates again and every session it issued is revoked; a revocation of a subject revokes every chain the subject
/// had then, and is kept until nothing it covers can be accepted any more; state is bounded
/// (<see cref="SessionStoreLimitException"/> beyond the documented caps).
/// </para>
/// <para>
/// A chain is <em>live</em> while it can still issue a session: not revoked, before its absolute end
/// (<see cref="RefreshChainRecord.ExpiresAt"/>) and before its newest refresh token's expiry
/// (<see cref="RefreshTokenRecord.ExpiresAt"/>), each decided as <see cref="RotateRefreshTokenAsync"/> decides expiry
/// (the caller's instant, a token expired at it). Only live chains count toward the per-subject cap of
/// <see cref="CreateChainAsync"/> (at <see cref="RefreshChainRecord.CreatedAt"/> of the chain being created) and are
/// returned by <see cref="ListChainsAsync"/>: a chain whose newest refresh token expired (an abandoned device) holds no
/// slot, even if sessions it issued have not expired yet. A store may drop such chains from its per-subject bookkeeping
/// lazily, at the subject's next <see cref="CreateChainAsync"/>; once it has, the chain never rotates again (its token
/// is <see cref="RefreshTokenRotationStatus.Expired"/> even to a caller whose clock reads earlier), so that no chain
/// escapes the cap, the list and <see cref="RevokeSubjectAsync"/>. Its sessions stay covered: by id
/// (<see cref="RevokeSessionAsync"/> still finds the chain while it is kept) and by a later revocation of the subject.
/// </para>
/// <para>
/// A chain's id begins with eight hexadecimal digits derived from its subject (see <see cref="RefreshChainRecord.ChainId"/>),
/// so that a store can keep a subject and all its chains together (one Redis Cluster hash slot).
/// </para>
/// <para>
/// Every method throws <see cref="SessionStoreUnavailableException"/> when the backing store cannot be reached; the
/// in-memory store never does. Implementations are thread-safe.
/// </para>
/// </remarks>
public interface ISessionStore
{
    /// <summary>
    /// Stores a new refresh chain with its first refresh token (and the session issued with it); revoked, with that
    /// session, when <see cref="RefreshChainRecord.CreatedAt"/> is at or before a revocation of the subject's sessions
    /// stored earlier (<see cref="RevokeSubjectAsync"/>).
    /// </summary>
    /// <param name="chain">The chain; its id is new and begins with <see cref="RefreshChainRecord.SubjectTag"/> of its subject (stores may refuse one that does not).</param>
    /// <param name="first">The chain's first refresh token.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>A task that completes once the chain is stored.</returns>
    /// <exception cref="SessionStoreLimitException">
    /// The subject already has as many live chains (as of <see cref="RefreshChainRecord.CreatedAt"/>: not revoked, neither
    /// past their absolute end nor with their newest refresh token expired) as the store allows.
    /// </exception>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; no chain exists.</exception>
    Task CreateChainAsync(RefreshChainRecord chain, RefreshTokenRecord first, CancellationToken cancellationToken = default);

    /// <summary>Reads a chain's immutable facts (subject, claims, absolute end), without changing anything.</summary>
    /// <param name="chainId">The chain's id, as carried by its refresh tokens.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The chain, or <see langword="null"/> when there is none (never created, or every trace of it expired).</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached.</exception>
    Task<RefreshChainRecord?> FindChainAsync(string chainId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Presents a refresh token of a chain, atomically:
    /// <list type="bullet">
    /// <item>an unused, live token of a live chain is marked used and <see cref="RefreshTokenRotationRequest.Successor"/>
    /// with its <see cref="RefreshTokenRotationRequest.SealedSuccessor"/> becomes its one successor (<see cref="RefreshTokenRotationStatus.Rotated"/>, with that sealed successor in
    /// <see cref="RefreshTokenRotation.SealedSuccessor"/>: the lifecycle hands out no session for a rotation without it);</item>
    /// <item>a token used within <see cref="RefreshTokenRotationRequest.GracePeriod"/> of its first use gets back the sealed
    /// successor stored then, and nothing is stored (<see cref="RefreshTokenRotationStatus.RotatedWithinGracePeriod"/>);</item>
    /// <item>a token used longer ago revokes the chain and every session it issued (<see cref="RefreshTokenRotationStatus.Reused"/>);</item>
    /// <item>otherwise <see cref="RefreshTokenRotationStatus.Revoked"/>, <see cref="RefreshTokenRotationStatus.Expired"/> or
    /// <see cref="RefreshTokenRotationStatus.NotFound"/>, and nothing changes.</item>
    /// </list>
    /// </summary>
    /// <param name="request">The presented token and the successor prepared for it.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>What happened.</returns>
    /// <exception cref="SessionStoreLimitException">The chain holds as many live sessions as the store allows; nothing changed.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached or did not acknowledge the write: the call may not have taken effect, or not durably; it may be retried.</exception>
    Task<RefreshTokenRotation> RotateRefreshTokenAsync(RefreshTokenRotationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Revokes a chain and every session it issued; kept until the chain could no longer live. Idempotent.</summary>
    /// <param name="chainId">The chain.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns><see langword="true"/> when the chain exists (revoked now or before); <see langword="false"/> when the store knows no such chain.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; nothing is known to be revoked.</exception>
    Task<bool> RevokeChainAsync(string chainId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes one session, kept until <paramref name="keepUntil"/>, and the chain that issued it, if the store knows
    /// one. Idempotent. A chain answers for a session it issued while that session or the refresh token issued with it
    /// can still be accepted as of <paramref name="now"/>, even once the session's token has expired: its newest session
    /// for as long as the chain can refresh. A session the store knows nothing of (issued without a refresh token, never
    /// issued, or one its chain no longer answers for) is revoked within the store's cap of such revocations.
    /// </summary>
    /// <param name="sessionId">The session id (<c>jti</c>).</param>
    /// <param name="keepUntil">Until when the revocation must be kept (the token's expiry plus the validator's clock skew), at the least.</param>
    /// <param name="now">The current time.</param>
    /// <param name="verified">
    /// Whether the session is known to exist (its token was presented and validated): such a revocation is never
    /// refused by the cap on revocations of unknown sessions.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The chain revoked with the session; <see langword="null"/> when the store knows no chain that issued it.</returns>
    /// <exception cref="SessionStoreLimitException">The session is unknown, not <paramref name="verified"/>, and the store holds as many such revocations as it allows.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; nothing is known to be revoked.</exception>
    Task<RefreshChainRecord?> RevokeSessionAsync(string sessionId, DateTimeOffset keepUntil, DateTimeOffset now, bool verified = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes every session of <paramref name="subject"/> issued at or before <paramref name="issuedAtOrBefore"/> (kept
    /// until <paramref name="keepUntil"/>) and every chain the subject has, with all their sessions and refresh tokens
    /// (kept until each chain could no longer live). A later call with an earlier instant weakens nothing. A chain created
    /// at or before <paramref name="issuedAtOrBefore"/> that reaches <see cref="CreateChainAsync"/> only afterwards (a
    /// sign-in racing the call) is stored revoked. Concurrent sign-ins of the subject never make this call fail.
    /// </summary>
    /// <param name="subject">The subject (user id).</param>
    /// <param name="issuedAtOrBefore">Sessions whose <c>iat</c> is at or before this instant are revoked.</param>
    /// <param name="keepUntil">When the longest session issued by then would stop being accepted: the subject's revocation is kept until then at the least.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>A task that completes once the revocation is stored.</returns>
    /// <exception cref="SessionStoreLimitException">The subject has no chain and the store holds as many revocations of such subjects as it allows.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached; nothing is known to be revoked.</exception>
    Task RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the live chains of <paramref name="subject"/>, newest first: not revoked, and neither past their absolute end
    /// nor with their newest refresh token expired at <paramref name="now"/> (the chains the per-subject cap counts).
    /// </summary>
    /// <param name="subject">The subject (user id).</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The chains; empty when there are none.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store cannot be reached.</exception>
    Task<IReadOnlyList<RefreshChainSummary>> ListChainsAsync(string subject, DateTimeOffset now, CancellationToken cancellationToken = default);
}

namespace Sessions;

/// <summary>
/// The outcome of presenting a refresh token (<see cref="ISessionStore.RotateRefreshTokenAsync"/>, <see cref="ISessionLifecycle.RefreshAsync"/>). The names are
/// stable: they appear in error messages, logs and metrics.
/// </summary>
public enum RefreshTokenRotationStatus
{
    /// <summary>The token was unused and valid: it is now used, and its successor is stored.</summary>
    Rotated = 0,

    /// <summary>
    /// The token had been used, but within the reuse grace period (parallel refreshes of one client, a retry after a
    /// lost reply) and it is one of its chain's two most recently used tokens: the caller gets the same successor as the
    /// first use, nothing is stored and nothing is revoked. A token used before those two is <see cref="Reused"/>.
    /// </summary>
    RotatedWithinGracePeriod,

    /// <summary>No such refresh token: never issued, mistyped, or expired and purged.</summary>
    NotFound,

    /// <summary>The token, or its chain's absolute lifetime, has expired.</summary>
    Expired,

    /// <summary>The token's chain was revoked (logout, revocation of its session or subject, or earlier reuse).</summary>
    Revoked,

    /// <summary>
    /// The token had already been used, outside the grace period or before its chain's two most recently used tokens:
    /// it was probably stolen. The whole chain and every session issued from it are now revoked.
    /// </summary>
    Reused,
}

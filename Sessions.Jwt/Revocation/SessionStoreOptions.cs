namespace Sessions.Jwt;

/// <summary>
/// Options of revocation and refresh tokens: what the validator does when revocations are unknown, and how long
/// refresh tokens and their chains live. Validated when the host starts.
/// </summary>
public sealed class SessionStoreOptions
{
    /// <summary>
    /// What the validator does when the revocation list cannot tell whether a session is revoked (its store has been
    /// unreachable for longer than the list tolerates). Defaults to <see cref="RevocationUnavailableBehavior.Reject"/>:
    /// a revoked session is never accepted because the store is down; the list's tolerance (30 seconds for Redis)
    /// keeps short outages invisible.
    /// </summary>
    public RevocationUnavailableBehavior UnavailableBehavior { get; set; } = RevocationUnavailableBehavior.Reject;

    /// <summary>
    /// How long a refresh token stays usable after it is issued, if not used: each refresh issues a new one with a new
    /// lifetime (sliding), never past <see cref="AbsoluteLifetime"/>. Defaults to 14 days; 1 minute to 366 days.
    /// </summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The longest a refresh chain lives, counted from the <c>Create</c> that started it: no refresh extends it, and
    /// sessions issued by a refresh expire by then at the latest. Defaults to 30 days; 1 minute to 3,660 days.
    /// </summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long after its first use a refresh token is still accepted, so two parallel refreshes of one client (two
    /// tabs, a retry after a lost reply) both succeed; each gets its own new session and refresh token in the same
    /// chain. Presenting a used token later revokes the chain and its sessions. Defaults to 10 seconds; 0 to 5 minutes.
    /// </summary>
    public TimeSpan RefreshReuseGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the in-memory store drops expired revocations and refresh tokens. Defaults to 1 minute; 1 second to
    /// 1 hour.
    /// </summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(1);
}

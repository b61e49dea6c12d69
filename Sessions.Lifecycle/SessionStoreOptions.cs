namespace Sessions.Lifecycle;

/// <summary>
/// Options of the session lifecycle and its store: how long refresh tokens and their chains live, the grace period
/// of parallel refreshes, what a validator does when revocations are unknown, and the caps that bound the store's
/// state. Bound from the <c>Sessions:Store</c> configuration section by hosts; validated when the host starts.
/// </summary>
public sealed class SessionStoreOptions
{
    /// <summary>The configuration section these options are bound from by hosts: <c>Sessions:Store</c>.</summary>
    public const string SectionName = "Sessions:Store";

    /// <summary>
    /// How messages name these options' settings: <c>SessionStoreOptions.</c> as code sets them, or the path of the
    /// section they are bound from when a <see cref="SessionsConfigurationPath"/> says so (<c>Sessions:Store:</c> with
    /// <c>AddSessions()</c>; set by <c>SessionStoreSettingNamesSetup</c>). Not a setting.
    /// </summary>
    internal string SettingPrefix { get; set; } = nameof(SessionStoreOptions) + ".";

    /// <summary>
    /// What the validator does when the revocation list cannot tell whether a session is revoked (its store has been
    /// unreachable for longer than the list tolerates). Defaults to <see cref="RevocationUnavailableBehavior.Reject"/>:
    /// a revoked session is never accepted because the store is down; a shared store's staleness tolerance keeps short
    /// outages invisible.
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
    /// How long after its first use a refresh token still gets its successor, so that parallel refreshes of one client
    /// (two tabs, a retry after a lost reply) all succeed: every presentation within it gets the same successor — the
    /// same refresh token and the same session token — so the chain never forks. Presenting a used token later revokes
    /// the chain and every session issued from it. Defaults to 10 seconds; 0 to 5 minutes.
    /// </summary>
    public TimeSpan RefreshReuseGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the in-memory store drops what can no longer be accepted (expired revocations, chains and refresh
    /// tokens). Defaults to 1 minute; 1 second to 1 hour.
    /// </summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most revocations the store keeps of sessions and subjects it knows nothing of (a session issued without a
    /// refresh token, a user without a chain, or an id that was never issued): beyond it such revocations are refused
    /// with <see cref="SessionStoreLimitException"/> (gRPC <c>RESOURCE_EXHAUSTED</c>) and a warning is logged.
    /// Revocations of known chains, and therefore of their sessions, are never refused, nor are revocations of a subject
    /// the store still keeps a chain of (revoked ones included, until nothing they issued can be accepted). Defaults to 1,000,000
    /// (about 0.3 KB each in memory: 30 MB per 100,000, measured with the benchmarks' --store-memory); 1 to 100,000,000.
    /// </summary>
    public int MaxRevocations { get; set; } = 1_000_000;

    /// <summary>
    /// The most live refresh chains (signed-in devices) one subject may have; creating one more is refused with
    /// <see cref="SessionStoreLimitException"/> (gRPC <c>RESOURCE_EXHAUSTED</c>). A chain counts, and is listed by
    /// <c>ListSessions</c>, while it can still issue a session: not revoked, before its <see cref="AbsoluteLifetime"/>
    /// ends and before its newest refresh token expires (<see cref="RefreshTokenLifetime"/> after the sign-in or the last
    /// refresh). A device abandoned without logging out therefore frees its slot once its refresh token expires.
    /// Defaults to 1,000; 1 to 100,000.
    /// </summary>
    public int MaxChainsPerSubject { get; set; } = 1_000;

    /// <summary>
    /// The most refresh tokens one chain remembers (each with the session issued with it). When a rotation would
    /// exceed it, the oldest used tokens whose sessions have expired are forgotten (presenting one afterwards is
    /// refused as unknown rather than detected as reuse); when every remembered session is still live, the refresh is
    /// refused with <see cref="SessionStoreLimitException"/> (a client refreshing far more often than sessions
    /// expire). Defaults to 1,000; 2 to 100,000.
    /// </summary>
    public int MaxRefreshTokensPerChain { get; set; } = 1_000;

    /// <summary>
    /// The most refresh chains the store holds in all; creating one more is refused with
    /// <see cref="SessionStoreLimitException"/>. A chain is held, and counts, while anything it issued can be accepted:
    /// until its newest refresh token and every session it issued have expired (a revoked chain too, its refresh tokens
    /// refused as revoked until then), not until its <see cref="AbsoluteLifetime"/> regardless. Defaults to
    /// 1,000,000; 1 to 100,000,000.
    /// </summary>
    public int MaxChains { get; set; } = 1_000_000;
}

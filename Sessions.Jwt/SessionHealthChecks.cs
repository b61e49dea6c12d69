namespace Sessions.Jwt;

/// <summary>
/// The health checks the session packages register themselves, so that a host's <c>AddHealthChecks()</c> (or
/// <c>AddGrpcHealthChecks()</c>) and <c>MapHealthChecks("/healthz")</c> report them without naming them. Use the names
/// and the tag to filter, e.g. <c>MapHealthChecks("/ready", new() { Predicate = c =&gt; c.Tags.Contains(SessionHealthChecks.Tag) })</c>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="KeysName"/> (registered by <c>AddJwtSessions()</c>, and so by <c>AddSessions()</c>): <c>Unhealthy</c>
/// when the key source holds no key or no key that can sign, <c>Healthy</c> otherwise. Its description names the key
/// ids and algorithms, never key material.
/// </para>
/// <para>
/// <see cref="JwksName"/> (registered by <c>AddJwtSessionValidation()</c>): <c>Healthy</c> when the last fetch of the
/// JWKS succeeded within the refresh schedule; <c>Degraded</c> when the last fetches failed (or none ran on schedule)
/// but the last good keys are still in use; <c>Unhealthy</c> when no key set was ever fetched or the key set is empty.
/// A JWKS that is briefly unreachable is <c>Degraded</c>, not <c>Unhealthy</c>, on purpose: every validating instance
/// fetches the same address, so <c>Unhealthy</c> would take all of them out of their load balancer at once, while the
/// keys they hold still validate every session signed before the outage.
/// </para>
/// <para>Registering twice (calling the registration methods again) registers each check once.</para>
/// </remarks>
public static class SessionHealthChecks
{
    /// <summary>The name of the check that the session keys are loaded: <c>sessions-keys</c>.</summary>
    public const string KeysName = "sessions-keys";

    /// <summary>The name of the check that the keys fetched from a JWKS are fresh: <c>sessions-jwks</c>.</summary>
    public const string JwksName = "sessions-jwks";

    /// <summary>The tag every sessions health check carries: <c>sessions</c>.</summary>
    public const string Tag = "sessions";

    /// <summary>
    /// The second tag of these checks, for a readiness endpoint that runs only the checks that decide whether an
    /// instance takes traffic (<c>Predicate = c =&gt; c.Tags.Contains("ready")</c>): <c>ready</c>.
    /// </summary>
    public const string ReadyTag = "ready";
}

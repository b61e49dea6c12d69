using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sessions.Jwt.Internal.Health;

/// <summary>
/// <see cref="SessionHealthChecks.JwksName"/>: whether the keys fetched from the session server's JWKS are fresh.
/// </summary>
/// <remarks>
/// <see cref="HealthStatus.Degraded"/>, not <see cref="HealthStatus.Unhealthy"/>, while fetches fail but keys fetched
/// before are still in use: every validating instance fetches the same address, so a session server that is briefly
/// down would otherwise take every one of them out of its load balancer at once, although the keys they hold still
/// validate every session signed before. <see cref="HealthStatus.Unhealthy"/> only when the instance cannot validate
/// any session: no fetch has given a usable key yet (a key set without one is a failed fetch).
/// </remarks>
internal sealed class JwksHealthCheck(JwksSessionKeySource source) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        var options = source.Options;
        var address = KeyDescription.Address(options.JwksUri!);
        var keys = source.GetKeys().Keys;
        var lastRefreshed = source.LastRefreshed;
        var failed = source.LastFetchFailed;
        var failure = source.LastFailure;
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["jwksUri"] = address, ["keys"] = keys.Count };
        if (lastRefreshed is not { } refreshed)
        {
            return HealthCheckResult.Unhealthy(failed
                ? $"The JWKS at {address} has never been fetched with a usable key (last attempt: {failure}): no session can be validated until it is."
                : $"The JWKS at {address} is being fetched for the first time: no session can be validated yet.", data: data);
        }

        // A fetch succeeds only with at least one usable key, so keys are held from here on.
        var age = source.TimeProvider.GetUtcNow() - refreshed;
        data["ageSeconds"] = Math.Round(age.TotalSeconds);

        // A fetch runs every RefreshInterval and takes at most FetchTimeout.
        var schedule = options.RefreshInterval + options.FetchTimeout;
        if (failed)
        {
            return HealthCheckResult.Degraded(
                $"The JWKS at {address} cannot be fetched or used ({failure}); the {keys.Count} key(s) fetched {Seconds(age)} ago stay in use, so sessions signed with a newer key are refused until it answers.", data: data);
        }

        if (age > schedule)
        {
            return HealthCheckResult.Degraded(
                $"The JWKS at {address} was last fetched {Seconds(age)} ago, longer than its schedule (every {Seconds(options.RefreshInterval)}); the {keys.Count} key(s) fetched then stay in use.", data: data);
        }

        return HealthCheckResult.Healthy($"The JWKS at {address} was fetched {Seconds(age)} ago: {KeyDescription.List(keys)}.", data);
    }

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (long)span.TotalSeconds)} s");
}

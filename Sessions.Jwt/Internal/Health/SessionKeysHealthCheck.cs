using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sessions.Jwt.Internal.Health;

/// <summary>
/// <see cref="SessionHealthChecks.KeysName"/>: whether the key source of the issuer and validator holds a key that
/// signs. Without one every <c>Create</c> fails; without any key every token is refused. Either is a configuration
/// error that no retry cures, so it is <see cref="HealthStatus.Unhealthy"/>: an instance in that state should not get
/// traffic.
/// </summary>
internal sealed class SessionKeysHealthCheck(ISessionKeySource keys, string settingPrefix) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var set = keys.GetKeys();
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["keys"] = set.Keys.Count };
        if (set.Keys.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"The session key source ({keys.GetType().Name}) holds no key: no session can be issued or validated.{Hint}", data: data));
        }

        if (set.SigningKey is not { } signing)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"No session key can sign, so no session can be issued; {KeyDescription.List(set.Keys)} only validate. Give the issuer a key with its private part.", data: data));
        }

        data["signingKeyId"] = signing.Id ?? string.Empty;
        data["algorithm"] = signing.Algorithm;
        return Task.FromResult(HealthCheckResult.Healthy(
            $"Sessions are signed with {KeyDescription.Describe(signing)}; {set.Keys.Count} key(s) validate: {KeyDescription.List(set.Keys)}.", data));
    }

    private string Hint => keys is OptionsSessionKeySource ? $" Set {settingPrefix}Secret or {settingPrefix}Keys." : string.Empty;
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Sessions.Redis.Internal;

/// <summary>
/// Adds <see cref="RedisSessionStoreHealthCheck"/> to the host's health checks, as the other session packages add
/// theirs: registered with <c>TryAddEnumerable</c>, and added only if no check of its name is, so that calling
/// <c>AddRedisSessionStore</c> again (or a host that still adds the check itself) does not make a second check of the
/// same name, which the health check service refuses. The host decides whether health checks run at all
/// (<c>AddHealthChecks()</c>, <c>AddGrpcHealthChecks()</c>).
/// </summary>
internal sealed class RedisSessionStoreHealthCheckRegistration : IConfigureOptions<HealthCheckServiceOptions>
{
    public void Configure(HealthCheckServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Registrations.Any(static registration => string.Equals(registration.Name, RedisSessionStoreHealthCheck.Name, StringComparison.Ordinal)))
        {
            options.Registrations.Add(new HealthCheckRegistration(
                RedisSessionStoreHealthCheck.Name,
                static provider => new RedisSessionStoreHealthCheck(provider.GetRequiredService<RedisSessionStore>()),
                failureStatus: null,
                tags: [RedisSessionStoreHealthCheck.Tag, RedisSessionStoreHealthCheck.ReadyTag]));
        }
    }
}

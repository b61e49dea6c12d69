using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Sessions.Redis.Internal;

/// <summary>
/// Adds <see cref="RedisSessionStoreHealthCheck"/> to the host's health checks. Registered with <c>TryAddEnumerable</c>,
/// so that calling <c>AddRedisSessionStore</c> again does not add a second check of the same name (which the health
/// check service refuses).
/// </summary>
internal sealed class RedisSessionStoreHealthCheckRegistration : IConfigureOptions<HealthCheckServiceOptions>
{
    public void Configure(HealthCheckServiceOptions options) =>
        options.Registrations.Add(new HealthCheckRegistration(
            RedisSessionStoreHealthCheck.Name,
            static provider => new RedisSessionStoreHealthCheck(provider.GetRequiredService<RedisSessionStore>()),
            failureStatus: null,
            tags: [RedisSessionStoreHealthCheck.ReadyTag]));
}

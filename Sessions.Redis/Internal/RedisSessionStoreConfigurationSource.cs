using Microsoft.Extensions.Configuration;

namespace Sessions.Redis.Internal;

/// <summary>
/// The configuration section <see cref="RedisSessionStoreOptions"/> are bound from: the host's
/// <see cref="RedisSessionStoreOptions.SectionName"/> unless <c>AddRedisSessionStore(configuration)</c> named another.
/// </summary>
internal sealed class RedisSessionStoreConfigurationSource(IConfiguration? section)
{
    /// <summary>The section; <see langword="null"/> in a service collection without configuration.</summary>
    public IConfiguration? Section { get; } = section;
}

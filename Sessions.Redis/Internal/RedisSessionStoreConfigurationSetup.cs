using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Sessions.Internal;

namespace Sessions.Redis.Internal;

/// <summary>
/// Binds <see cref="RedisSessionStoreOptions"/> from configuration (<c>Sessions:Redis</c> by default, so
/// <c>Sessions__Redis__Configuration</c> in the environment) before the options a host sets in code, as
/// <c>AddJwtBearer()</c> binds its section. The binding is source-generated: no reflection, safe to trim.
/// </summary>
internal sealed class RedisSessionStoreConfigurationSetup(RedisSessionStoreConfigurationSource source) : IConfigureOptions<RedisSessionStoreOptions>
{
    /// <summary>The <see cref="TimeSpan"/> settings of <see cref="RedisSessionStoreOptions"/>, which may not be bare numbers.</summary>
    internal static readonly string[] Durations =
    [
        nameof(RedisSessionStoreOptions.PollInterval), nameof(RedisSessionStoreOptions.StalenessTolerance),
        nameof(RedisSessionStoreOptions.ReplicaAcknowledgementTimeout),
    ];

    public void Configure(RedisSessionStoreOptions options)
    {
        if (source.Section is { } section)
        {
            SettingsBinding.Bind<RedisSessionStoreOptions>(() => section.Bind(options), section, Durations);
        }
    }
}

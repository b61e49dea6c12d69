using StackExchange.Redis;

namespace Sessions.Redis.Internal;

/// <summary>
/// The StackExchange.Redis options of every connection the store and the session events open: the configuration
/// string, then what the host's <c>ConfigureConnection</c> adds (what a string cannot hold: TLS callbacks, a client
/// certificate), then the two settings the packages' failure handling relies on.
/// </summary>
internal static class RedisConnectionOptions
{
    /// <summary>Parses <paramref name="configuration"/> and applies <paramref name="configure"/> to the result.</summary>
    /// <param name="configuration">The <c>Configuration</c> setting.</param>
    /// <param name="configure">The <c>ConfigureConnection</c> setting, or <see langword="null"/>.</param>
    public static ConfigurationOptions From(string configuration, Action<ConfigurationOptions>? configure)
    {
        var options = ConfigurationOptions.Parse(configuration);
        configure?.Invoke(options);

        // A Redis that cannot be reached at start must not stop the host (the store reconnects by itself and reports
        // the outage), and a command must fail at once while it is down rather than wait in a backlog: the store's
        // answers (Unavailable, the staleness tolerance) depend on it. Set after the host's hook, which cannot undo them.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }
}

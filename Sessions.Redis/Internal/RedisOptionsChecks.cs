using StackExchange.Redis;

namespace Sessions.Redis.Internal;

/// <summary>The checks the Redis options validators share, each adding a message that names the setting and its fix.</summary>
internal static class RedisOptionsChecks
{
    /// <summary>Checks a StackExchange.Redis configuration string without ever repeating it (it may hold a password).</summary>
    public static void Configuration(List<string> errors, string setting, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{setting} is empty; set it to the Redis address, e.g. 127.0.0.1:6379, or a cluster's seed nodes.");
            return;
        }

        try
        {
            if (ConfigurationOptions.Parse(value).EndPoints.Count == 0)
            {
                errors.Add($"{setting} names no endpoint; start it with host:port, e.g. 127.0.0.1:6379.");
            }
        }
        catch (ArgumentException)
        {
            // The parser's message repeats the option it could not read, which may be the password: not repeated here.
            errors.Add($"{setting} is not a StackExchange.Redis configuration string (host:port followed by options such as password=..., ssl=true).");
        }
    }

    /// <summary>
    /// Refuses a database other than 0 on a Redis Cluster, which has no other: known only once connected, since the
    /// same string names a primary or a cluster's seed nodes. The message names the endpoints, never the password.
    /// </summary>
    /// <returns>The message naming <paramref name="setting"/> and its fix, or <see langword="null"/> when nothing is wrong.</returns>
    public static string? ClusterDatabase(string setting, ConfigurationOptions configuration, IConnectionMultiplexer redis)
    {
        if (configuration.DefaultDatabase is not { } database || database == 0
            || !redis.GetServers().Any(static server => server.ServerType == ServerType.Cluster))
        {
            return null;
        }

        return $"{setting} names a Redis Cluster ({RedisEndpoints.Describe(configuration)}) and defaultDatabase={database}: a cluster has database 0 only. "
            + "Remove defaultDatabase from the configuration string, or set it to 0.";
    }

    /// <summary>Checks that <paramref name="value"/> is from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static void Range<T>(List<string> errors, string setting, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            errors.Add($"{setting} is {value}; it must be from {min} to {max}.");
        }
    }
}

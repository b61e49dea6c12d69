using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace Sessions.Redis.Internal;

/// <summary>
/// Names Redis endpoints for logs from the parsed configuration (host and port only), so that a password, wherever it
/// is written in the configuration string, never reaches a log line or a message.
/// </summary>
internal static class RedisEndpoints
{
    public static string Describe(ConfigurationOptions configuration) =>
        configuration.EndPoints.Count == 0 ? "(no endpoint)" : string.Join(", ", configuration.EndPoints.Select(Describe));

    public static string Describe(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(CultureInfo.InvariantCulture),
        IPEndPoint ip => ip.ToString(),
        _ => endPoint.GetType().Name,
    };
}

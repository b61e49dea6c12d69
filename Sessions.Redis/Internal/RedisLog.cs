using Microsoft.Extensions.Logging;

namespace Sessions.Redis.Internal;

/// <summary>Log messages of Sessions.Redis (event ids 300–399). None carries a token.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 300, EventName = "RevocationsLoaded", Level = LogLevel.Information,
        Message = "Loaded {Count} revocations from Redis {Endpoint}; the local revocation set is current.")]
    public static partial void RevocationsLoaded(ILogger logger, string endpoint, int count);

    [LoggerMessage(EventId = 301, EventName = "ConnectionLost", Level = LogLevel.Warning,
        Message = "Lost Redis {Endpoint} ({FailureType}); known revocations stay in force, others are trusted for {ToleranceSeconds} s, then validation follows UnavailableBehavior.")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, StackExchange.Redis.ConnectionFailureType failureType, double toleranceSeconds);

    [LoggerMessage(EventId = 302, EventName = "LoadFailed", Level = LogLevel.Warning,
        Message = "Could not load revocations from Redis {Endpoint} ({ErrorType}: {Error}); retrying.")]
    public static partial void LoadFailed(ILogger logger, string endpoint, string errorType, string error);

    [LoggerMessage(EventId = 303, EventName = "MessageIgnored", Level = LogLevel.Warning,
        Message = "Ignored a malformed revocation message on channel {Channel}.")]
    public static partial void MessageIgnored(ILogger logger, string channel);

    [LoggerMessage(EventId = 304, EventName = "ConnectionRestored", Level = LogLevel.Information,
        Message = "Redis {Endpoint} is back ({ConnectionType}); reloading revocations.")]
    public static partial void ConnectionRestored(ILogger logger, string endpoint, StackExchange.Redis.ConnectionType connectionType);
}

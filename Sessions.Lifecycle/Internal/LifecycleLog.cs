using Microsoft.Extensions.Logging;

namespace Sessions.Lifecycle.Internal;

/// <summary>The lifecycle's log lines (event ids 200–299). None holds a token or a refresh token.</summary>
internal static partial class LifecycleLog
{
    [LoggerMessage(EventId = 200, EventName = "EventSinkFailed", Level = LogLevel.Warning, Message = "Session event sink {Sink} failed to publish a {Kind} event ({ExceptionType}); the change itself is stored.")]
    public static partial void EventSinkFailed(ILogger logger, string sink, SessionEventKind kind, string exceptionType);

    [LoggerMessage(EventId = 201, EventName = "ReuseDetected", Level = LogLevel.Warning, Message = "Refresh-token reuse detected on chain {ChainId} of {Subject}: the chain and its sessions are revoked.")]
    public static partial void ReuseDetected(ILogger logger, string chainId, string subject);

    [LoggerMessage(EventId = 202, EventName = "SealBroken", Level = LogLevel.Warning, Message = "The sealed successor of a refresh token on chain {ChainId} could not be opened; the presentation is refused.")]
    public static partial void SealBroken(ILogger logger, string chainId);

    [LoggerMessage(EventId = 203, EventName = "StoreLimitReached", Level = LogLevel.Warning, Message = "Session store limit reached: {Limit}. The write was refused.")]
    public static partial void LimitReached(ILogger logger, string limit);

    [LoggerMessage(EventId = 205, EventName = "StoreLimitStillReached", Level = LogLevel.Warning, Message = "Session store limit reached: {Limit}. The write was refused. {NotWritten} more writes were refused by the store's limits in the {SinceLastLineSeconds:0} s since the last such line and were not logged each.")]
    public static partial void LimitStillReached(ILogger logger, string limit, int notWritten, double sinceLastLineSeconds);

    [LoggerMessage(EventId = 204, EventName = "RotationUnconfirmed", Level = LogLevel.Error, Message = "Session store {Store} answered Rotated for a refresh token on chain {ChainId} without the successor it was given; no session is handed out. The store breaks ISessionStore.RotateRefreshTokenAsync's contract.")]
    public static partial void RotationUnconfirmed(ILogger logger, string store, string chainId);
}

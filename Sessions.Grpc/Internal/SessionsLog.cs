using Microsoft.Extensions.Logging;

namespace Sessions.Grpc.Internal;

/// <summary>
/// The log lines of the sessions service: exactly one per call. They carry the operation, the session id
/// (<c>jti</c>), the outcome and the duration — never the token or the secret.
/// </summary>
/// <remarks>
/// Event ids: 1 <c>CallCompleted</c> (Information) for every call that ended with a reply or an expected refusal;
/// 2 <c>CallFailed</c> (Error) for a call that ended with an unexpected exception; 3 <c>StoreUnavailable</c> (Warning)
/// when the session store could not be reached (the call then also gets its <c>CallCompleted</c> line).
/// </remarks>
internal static partial class SessionsLog
{
    [LoggerMessage(EventId = 1, EventName = "CallCompleted", Level = LogLevel.Information,
        Message = "Sessions.{Operation} {Outcome} session={SessionId} in {ElapsedMilliseconds:0.###} ms")]
    public static partial void CallCompleted(ILogger logger, string operation, string outcome, string? sessionId, double elapsedMilliseconds);

    [LoggerMessage(EventId = 2, EventName = "CallFailed", Level = LogLevel.Error,
        Message = "Sessions.{Operation} failed unexpectedly in {ElapsedMilliseconds:0.###} ms")]
    public static partial void CallFailed(ILogger logger, string operation, double elapsedMilliseconds, Exception exception);

    [LoggerMessage(EventId = 3, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "Sessions.{Operation}: the session store is unavailable: {Error}")]
    public static partial void StoreUnavailable(ILogger logger, string operation, string error);
}

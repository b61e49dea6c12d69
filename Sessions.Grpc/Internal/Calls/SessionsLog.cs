using Microsoft.Extensions.Logging;
using Sessions.Grpc.Internal.Requests;

namespace Sessions.Grpc.Internal.Calls;

/// <summary>
/// The log lines of the sessions service: exactly one per call. They carry the operation, the session id
/// (<c>jti</c>), the outcome and the duration — never the token or the secret.
/// </summary>
/// <remarks>
/// Event ids: 1 <c>CallCompleted</c> (Information) for every call that ended with a reply or an expected refusal;
/// 2 <c>CallFailed</c> (Error) for a call that ended with an unexpected exception; 3 <c>StoreUnavailable</c> (Warning)
/// when the session store could not be reached (the call then also gets its <c>CallCompleted</c> line), for the first
/// such call, then 6 <c>StoreStillUnavailable</c> at most once per <see cref="Sessions.Internal.RepeatedFailures.Interval"/>
/// with how many were not logged; 4
/// <c>MalformedRequest</c> (Information) for a call whose request could not be read, the only line of that call; 5
/// <c>UnreadableRequest</c> (Information) for a request to any of the host's gRPC services whose gRPC framing
/// (<see cref="GrpcFrameHeaderCheck"/>) or compressed data (<see cref="CheckedDecompressionStream"/>) is broken.
/// </remarks>
internal static partial class SessionsLog
{
    private static readonly EventId s_callCompleted = new(1, "CallCompleted");

    /// <summary>
    /// The per-call line. Written by hand rather than generated so that its state (<see cref="CallCompletedLogState"/>)
    /// can be formatted without a string by providers that write UTF-8; the message and fields are what
    /// <c>[LoggerMessage]</c> would give (<see cref="CallCompletedLogState.Format"/>).
    /// </summary>
    public static void CallCompleted(ILogger logger, string operation, string outcome, string? sessionId, double elapsedMilliseconds)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.Log(LogLevel.Information, s_callCompleted, new CallCompletedLogState(operation, outcome, sessionId, elapsedMilliseconds), null, CallCompletedLogState.Formatter);
        }
    }

    [LoggerMessage(EventId = 2, EventName = "CallFailed", Level = LogLevel.Error,
        Message = "Sessions.{Operation} failed unexpectedly in {ElapsedMilliseconds:0.###} ms")]
    public static partial void CallFailed(ILogger logger, string operation, double elapsedMilliseconds, Exception exception);

    // {Error} is the store's own message (SessionStoreUnavailableException), which says which store and what failed:
    // the line adds only the call it refused, so that it does not say "unavailable" twice.
    [LoggerMessage(EventId = 3, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "Sessions.{Operation} refused: {Error}")]
    public static partial void StoreUnavailable(ILogger logger, string operation, string error);

    [LoggerMessage(EventId = 6, EventName = "StoreStillUnavailable", Level = LogLevel.Warning,
        Message = "Sessions.{Operation} refused: {Error} ({NotWritten} more calls refused for it in the {SinceLastLineSeconds:0} s since the last such line were not logged each)")]
    public static partial void StoreStillUnavailable(ILogger logger, string operation, string error, int notWritten, double sinceLastLineSeconds);

    /// <summary>The line of a call whose request could not be read as its message: the service never ran.</summary>
    [LoggerMessage(EventId = 4, EventName = "MalformedRequest", Level = LogLevel.Information,
        Message = "Sessions.{Operation} malformed_request: {Error}")]
    public static partial void MalformedRequest(ILogger logger, string operation, string error);

    [LoggerMessage(EventId = 5, EventName = "UnreadableRequest", Level = LogLevel.Information,
        Message = "gRPC request message refused before its service read it: {Error}")]
    public static partial void UnreadableRequest(ILogger logger, string error);
}

using Microsoft.Extensions.Logging;

namespace Sessions.Grpc.Internal.Authentication;

/// <summary>
/// Log lines of session authentication (event ids 30–39; the privileged calls have 10–19, hosting 20–29): why a request was refused, never the token.
/// </summary>
internal static partial class SessionAuthenticationLog
{
    [LoggerMessage(EventId = 30, EventName = "SessionMissing", Level = LogLevel.Debug,
        Message = "{Method} refused: no session token.")]
    public static partial void SessionMissing(ILogger logger, string method);

    [LoggerMessage(EventId = 31, EventName = "SessionRejected", Level = LogLevel.Information,
        Message = "{Method} refused: the session token was rejected ({Reason}).")]
    public static partial void SessionRejected(ILogger logger, string method, SessionFailureReason reason);

    [LoggerMessage(EventId = 32, EventName = "RequirementUnmet", Level = LogLevel.Information,
        Message = "{Method} refused: the session does not meet the requirement: {Requirement}.")]
    public static partial void RequirementUnmet(ILogger logger, string method, string requirement);

    [LoggerMessage(EventId = 33, EventName = "SessionIgnored", Level = LogLevel.Debug,
        Message = "{Method} needs no session: the session token was rejected ({Reason}), and the call goes on without a session.")]
    public static partial void SessionIgnored(ILogger logger, string method, SessionFailureReason reason);
}

using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Sessions.Grpc.Internal.Privileged;

/// <summary>
/// The log lines of the protection of privileged calls. A refused call has the service's <c>CallCompleted</c> line
/// at <c>Information</c> (<c>Sessions.Create unauthenticated ...</c>), one line per call as for every other call; what
/// decided it (the policy, or the key) is a second line at <c>Debug</c>. None names the credentials that were sent.
/// </summary>
internal static partial class PrivilegedCallsLog
{
    [LoggerMessage(EventId = 10, EventName = "PrivilegedCallRefused", Level = LogLevel.Debug,
        Message = "Sessions.{Call} refused: {StatusCode} (authorization policy '{Policy}')")]
    public static partial void Refused(ILogger logger, string call, StatusCode statusCode, string policy);

    // A refusal the key of Sessions:ApiKey alone decided on (no policy was asked).
    [LoggerMessage(EventId = 12, EventName = "PrivilegedCallRefusedByApiKey", Level = LogLevel.Debug,
        Message = "Sessions.{Call} refused: {StatusCode} (Sessions:ApiKey)")]
    public static partial void RefusedByApiKey(ILogger logger, string call, StatusCode statusCode);

    // So that the callers still on the previous key can be found before it is removed: the call and where it came from.
    [LoggerMessage(EventId = 13, EventName = "PrivilegedCallWithPreviousApiKey", Level = LogLevel.Debug,
        Message = "Sessions.{Call} from {Peer} was made with Sessions:PreviousApiKey; callers still sending it must move to Sessions:ApiKey before it is removed")]
    public static partial void PreviousApiKeyUsed(ILogger logger, string call, string peer);

    [LoggerMessage(EventId = 14, EventName = "ApiKeySchemePreviousKeyUsed", Level = LogLevel.Debug,
        Message = "A caller at {Peer} was authenticated for {Path} by the API-key scheme '{Scheme}' with its PreviousKey; callers still sending it must move to its Key before PreviousKey is removed")]
    public static partial void ApiKeySchemePreviousKeyUsed(ILogger logger, string scheme, Microsoft.AspNetCore.Http.PathString path, System.Net.IPAddress? peer);

    [LoggerMessage(EventId = 11, EventName = "PrivilegedCallsOpen", Level = LogLevel.Warning,
        Message = "The privileged calls of the sessions service (Create for any user, Revoke by session_id, RevokeAll, ListSessions) are open to anyone who can reach it: protect them with an API key (AddSessions().RequireApiKey(...) or Sessions:ApiKey) or a policy (AddSessions().RequirePrivilegedPolicy(...) or Sessions:PrivilegedPolicy).")]
    public static partial void Open(ILogger logger);
}

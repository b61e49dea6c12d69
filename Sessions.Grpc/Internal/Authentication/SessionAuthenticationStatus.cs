using Grpc.Core;
using Sessions.Grpc.Internal.Calls;

namespace Sessions.Grpc.Internal.Authentication;

/// <summary>
/// The statuses of calls refused for their session, shared by the interceptor and the authentication handler:
/// <see cref="StatusCode.Unauthenticated"/> with the reason (never the token) when the session is missing or invalid,
/// <see cref="StatusCode.Unavailable"/> when the validator could not decide, <see cref="StatusCode.PermissionDenied"/>
/// when a valid session is not allowed.
/// </summary>
internal static class SessionAuthenticationStatus
{
    public const string MissingMessage = "a session token is required: send 'authorization: Bearer <token>'";

    public const string ForbiddenMessage = "the session is not allowed to call this method";

    public static RpcException Missing() =>
        new(new Status(StatusCode.Unauthenticated, MissingMessage), new Metadata { { SessionsMetadataKeys.FailureReason, SessionFailureStatus.GetName(SessionFailureReason.Missing) } });

    /// <summary>The message of a refusal for an unmet requirement: safe to show, it names the requirement only.</summary>
    public static string Unmet(SessionRequirement requirement) => "the session does not meet the requirement: " + requirement.Description;

    public static RpcException PermissionDenied(SessionRequirement requirement) => new(new Status(StatusCode.PermissionDenied, Unmet(requirement)));

    public static StatusCode GetStatusCode(SessionFailureReason reason) =>
        reason == SessionFailureReason.Unavailable ? StatusCode.Unavailable : StatusCode.Unauthenticated;

    public static RpcException Invalid(SessionFailureReason reason) =>
        new(
            new Status(GetStatusCode(reason), SessionFailureStatus.GetMessage(reason)),
            new Metadata { { SessionsMetadataKeys.FailureReason, SessionFailureStatus.GetName(reason) } });
}

using Grpc.Core;

namespace Sessions.Grpc.Internal.Calls;

/// <summary>
/// The one place where a <see cref="SessionFailureReason"/> becomes a gRPC status: its code, its message and the
/// machine-readable name sent in the <see cref="SessionsMetadataKeys.FailureReason"/> trailer.
/// </summary>
/// <remarks>
/// Every reason maps to <see cref="StatusCode.InvalidArgument"/>, the wire contract of the original service, except
/// <see cref="SessionFailureReason.Unavailable"/>, which is the server's trouble and not the token's and so maps to
/// <see cref="StatusCode.Unavailable"/> (clients may retry it). Messages describe the reason only: never the token.
/// </remarks>
internal static class SessionFailureStatus
{
    public static StatusCode GetStatusCode(SessionFailureReason reason) =>
        reason == SessionFailureReason.Unavailable ? StatusCode.Unavailable : StatusCode.InvalidArgument;

    public static string GetMessage(SessionFailureReason reason) => reason switch
    {
        SessionFailureReason.Missing => "token is missing",
        SessionFailureReason.TooLarge => "token is too large",
        SessionFailureReason.Malformed => "token is malformed",
        SessionFailureReason.UnsupportedAlgorithm => "token algorithm is not allowed",
        SessionFailureReason.UnsupportedHeader => "token header is not supported",
        SessionFailureReason.UnknownKey => "token key is unknown",
        SessionFailureReason.BadSignature => "token signature is invalid",
        SessionFailureReason.InvalidClaims => "token claims are invalid",
        SessionFailureReason.Expired => "token is expired",
        SessionFailureReason.NotYetValid => "token is not valid yet",
        SessionFailureReason.WrongIssuer => "token issuer is not accepted",
        SessionFailureReason.WrongAudience => "token audience is not accepted",
        SessionFailureReason.Revoked => "token is revoked",
        SessionFailureReason.Unavailable => "token cannot be validated now: a session store or the session keys are unavailable; retry later",
        _ => "token is invalid",
    };

    /// <summary>The stable, snake_case name of a reason, as sent in the trailer and written to logs.</summary>
    public static string GetName(SessionFailureReason reason) => reason switch
    {
        SessionFailureReason.None => "none",
        SessionFailureReason.Missing => "missing",
        SessionFailureReason.TooLarge => "too_large",
        SessionFailureReason.Malformed => "malformed",
        SessionFailureReason.UnsupportedAlgorithm => "unsupported_algorithm",
        SessionFailureReason.UnsupportedHeader => "unsupported_header",
        SessionFailureReason.UnknownKey => "unknown_key",
        SessionFailureReason.BadSignature => "bad_signature",
        SessionFailureReason.InvalidClaims => "invalid_claims",
        SessionFailureReason.Expired => "expired",
        SessionFailureReason.NotYetValid => "not_yet_valid",
        SessionFailureReason.WrongIssuer => "wrong_issuer",
        SessionFailureReason.WrongAudience => "wrong_audience",
        SessionFailureReason.Revoked => "revoked",
        SessionFailureReason.Unavailable => "unavailable",
        _ => "unknown",
    };

    public static RpcException ToRpcException(SessionFailureReason reason) =>
        new(
            new Status(GetStatusCode(reason), GetMessage(reason)),
            new Metadata { { SessionsMetadataKeys.FailureReason, GetName(reason) } });
}

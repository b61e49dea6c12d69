using Grpc.Core;

namespace Sessions.Grpc.Internal.Calls;

/// <summary>
/// The one place where a refused refresh becomes a gRPC status: <see cref="StatusCode.InvalidArgument"/>, a message
/// naming the reason (never the token) and what to do next, and the reason's name in the
/// <see cref="SessionsMetadataKeys.FailureReason"/> trailer.
/// </summary>
/// <remarks>
/// Every refusal of a token that was sent ends in a new sign-in: the chain is unknown, over, revoked or (on reuse)
/// revoked now, and no later refresh of it can succeed. An empty refresh token is refused as missing before the
/// session store is asked, as <c>Validate</c> refuses an empty token.
/// </remarks>
internal static class RefreshFailureStatus
{
    /// <summary>The message of an empty refresh token.</summary>
    public const string MissingMessage = "refresh token is missing: send the refresh_token from Create or the last Refresh";

    /// <summary>The trailer's name of an empty refresh token.</summary>
    public const string MissingName = "refresh_token_missing";

    public static string GetMessage(RefreshTokenRotationStatus status) => status switch
    {
        RefreshTokenRotationStatus.Expired => "refresh token is expired; sign in again",
        RefreshTokenRotationStatus.Revoked => "refresh token is revoked; sign in again",
        RefreshTokenRotationStatus.Reused => "refresh token was already used: its chain and sessions are revoked; sign in again",
        _ => "refresh token is invalid; sign in again",
    };

    /// <summary>The stable, snake_case name sent in the trailer and written to logs.</summary>
    public static string GetName(RefreshTokenRotationStatus status) => status switch
    {
        RefreshTokenRotationStatus.Expired => "refresh_token_expired",
        RefreshTokenRotationStatus.Revoked => "refresh_token_revoked",
        RefreshTokenRotationStatus.Reused => "refresh_token_reused",
        _ => "refresh_token_invalid",
    };

    public static RpcException ToRpcException(RefreshTokenRotationStatus status) =>
        new(
            new Status(StatusCode.InvalidArgument, GetMessage(status)),
            new Metadata { { SessionsMetadataKeys.FailureReason, GetName(status) } });

    /// <summary>The refusal of an empty refresh token.</summary>
    public static RpcException Missing() =>
        new(
            new Status(StatusCode.InvalidArgument, MissingMessage),
            new Metadata { { SessionsMetadataKeys.FailureReason, MissingName } });
}

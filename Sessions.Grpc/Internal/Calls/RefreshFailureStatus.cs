using Grpc.Core;

namespace Sessions.Grpc.Internal.Calls;

/// <summary>
/// The one place where a refused refresh becomes a gRPC status: <see cref="StatusCode.InvalidArgument"/>, a message
/// naming the reason (never the token) and the reason's name in the <see cref="SessionsMetadataKeys.FailureReason"/>
/// trailer.
/// </summary>
internal static class RefreshFailureStatus
{
    public static string GetMessage(RefreshTokenRotationStatus status) => status switch
    {
        RefreshTokenRotationStatus.Expired => "refresh token is expired",
        RefreshTokenRotationStatus.Revoked => "refresh token is revoked",
        RefreshTokenRotationStatus.Reused => "refresh token was already used: its chain and sessions are revoked",
        _ => "refresh token is invalid",
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
}

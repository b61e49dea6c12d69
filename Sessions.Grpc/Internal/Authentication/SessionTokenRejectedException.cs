using Sessions.Grpc.Internal.Calls;

namespace Sessions.Grpc.Internal.Authentication;

/// <summary>
/// The failure of an authentication result whose token the validator refused: carries the reason, so that the
/// challenge can name it, and a message that names the reason only, never the token.
/// </summary>
internal sealed class SessionTokenRejectedException(SessionFailureReason reason)
    : Exception(SessionFailureStatus.GetMessage(reason))
{
    public SessionFailureReason Reason { get; } = reason;
}

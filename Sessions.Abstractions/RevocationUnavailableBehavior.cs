namespace Sessions;

/// <summary>
/// What a validator does with a session whose revocation status is <see cref="RevocationStatus.Unknown"/>.
/// </summary>
public enum RevocationUnavailableBehavior
{
    /// <summary>
    /// Refuse the session with <see cref="SessionFailureReason.Unavailable"/> (gRPC <c>UNAVAILABLE</c>, which clients
    /// may retry). The default: a revoked — possibly stolen — session is never accepted because the store is down.
    /// </summary>
    Reject = 0,

    /// <summary>
    /// Accept the session on its signature and claims alone, as a validator without revocation would. Choose it when
    /// availability matters more than ending sessions promptly.
    /// </summary>
    AllowSignatureOnly,
}

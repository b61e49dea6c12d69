namespace Sessions;

/// <summary>A refresh token presented to <see cref="ISessionStore.RotateRefreshTokenAsync"/>, with the successor prepared for it.</summary>
/// <param name="ChainId">The chain the presented token names.</param>
/// <param name="PresentedHash">The presented token's hash.</param>
/// <param name="Successor">The successor to store if the presented token is unused.</param>
/// <param name="SealedSuccessor">
/// The successor's reply (its refresh token and session), sealed with a key only the presented token gives: stored with
/// the successor and handed back to every presentation within the grace period, so that they all get the same
/// successor. Opaque to the store.
/// </param>
/// <param name="Now">The current time.</param>
/// <param name="GracePeriod">How long after its first use the presented token still gets its successor.</param>
public sealed record RefreshTokenRotationRequest(
    string ChainId,
    string PresentedHash,
    RefreshTokenRecord Successor,
    string SealedSuccessor,
    DateTimeOffset Now,
    TimeSpan GracePeriod);

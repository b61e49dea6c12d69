namespace Sessions;

/// <summary>
/// A session issued together with a refresh token: by <c>Create</c> with a refresh token, or by a refresh.
/// </summary>
/// <param name="Session">The new session (its token is a secret).</param>
/// <param name="Subject">The subject (user id) of the session and the chain.</param>
/// <param name="RefreshToken">The opaque refresh token to hand to the client: 256 random bits, base64url. A secret: never log it.</param>
/// <param name="ChainId">The chain the refresh token belongs to.</param>
/// <param name="RefreshExpiresAt">When the refresh token expires (never after the chain's absolute lifetime).</param>
public sealed record RefreshTokenIssued(IssuedSession Session, string Subject, string RefreshToken, string ChainId, DateTimeOffset RefreshExpiresAt)
{
    /// <summary>
    /// The custom claims the session carries: those given at <c>Create</c>, carried by every session of the chain.
    /// Empty when the chain has none.
    /// </summary>
    public SessionClaims Claims { get; init; } = SessionClaims.Empty;

    /// <summary>Describes the issue without any secret, so that it is safe to log.</summary>
    /// <returns>The session, the chain and the refresh token's expiry.</returns>
    public override string ToString() => $"{Session} with refresh chain {ChainId} until {RefreshExpiresAt:O}";
}

namespace Sessions;

/// <summary>
/// What a store keeps about one refresh token of a chain, and the session issued with it. The token itself is never
/// stored: only its SHA-256 hash.
/// </summary>
/// <param name="TokenHash">The SHA-256 hash of the token, base64url without padding (43 characters).</param>
/// <param name="SessionId">The id of the session issued together with this token.</param>
/// <param name="SessionExpiresAt">Until when that session can be accepted (its expiry plus the validator's clock skew): how long its revocation must be kept.</param>
/// <param name="IssuedAt">When the token was issued.</param>
/// <param name="ExpiresAt">When the token expires; never after its chain's <see cref="RefreshChainRecord.ExpiresAt"/>.</param>
public sealed record RefreshTokenRecord(
    string TokenHash,
    string SessionId,
    DateTimeOffset SessionExpiresAt,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt);

namespace Sessions;

/// <summary>
/// What a store keeps about one refresh token. The token itself is never stored: only its SHA-256 hash.
/// </summary>
/// <param name="TokenHash">The SHA-256 hash of the token, base64url without padding (43 characters).</param>
/// <param name="FamilyId">The chain (family) the token belongs to: every token rotated from one <c>Create</c> shares it.</param>
/// <param name="Subject">The subject (user id) of the sessions the chain issues.</param>
/// <param name="SessionId">The id of the session issued together with this token.</param>
/// <param name="SessionExpiresAt">When that session expires: how long its revocation must be kept.</param>
/// <param name="IssuedAt">When the token was issued.</param>
/// <param name="ExpiresAt">When the token expires; never after <paramref name="FamilyExpiresAt"/>.</param>
/// <param name="FamilyExpiresAt">The chain's absolute end, which no rotation extends.</param>
public sealed record RefreshTokenRecord(
    string TokenHash,
    string FamilyId,
    string Subject,
    string SessionId,
    DateTimeOffset SessionExpiresAt,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset FamilyExpiresAt);

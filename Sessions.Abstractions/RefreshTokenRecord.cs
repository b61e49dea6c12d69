using System.Text.Json;

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
/// <param name="Claims">
/// The custom claims every session of the chain carries, as the text of one JSON object (member names are the claim
/// names); <see langword="null"/> when the chain has none. Set at <c>Create</c> and copied unchanged by every rotation.
/// </param>
public sealed record RefreshTokenRecord(
    string TokenHash,
    string FamilyId,
    string Subject,
    string SessionId,
    DateTimeOffset SessionExpiresAt,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset FamilyExpiresAt,
    string? Claims = null)
{
    /// <summary>
    /// The custom claims every session of the chain carries, as the text of one JSON object; <see langword="null"/>
    /// when the chain has none (as in records stored before claims were kept).
    /// </summary>
    /// <exception cref="ArgumentException">The text is not one well-formed JSON object.</exception>
    public string? Claims { get; init => field = CheckClaims(value); } = CheckClaims(Claims);

    private static string? CheckClaims(string? claims)
    {
        if (claims is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(claims, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return claims;
            }
        }
        catch (JsonException)
        {
        }

        throw new ArgumentException("The stored claims must be the text of one JSON object.", nameof(claims));
    }
}

namespace Sessions;

/// <summary>
/// The immutable facts of a refresh chain: every refresh token rotated from one <c>Create</c> with a refresh token.
/// </summary>
/// <param name="ChainId">
/// The chain's id: 32 lower-case hexadecimal digits, the first eight derived from the subject
/// (<see cref="SubjectTag"/>) and the rest random, so that a store can keep a subject and its chains together.
/// </param>
/// <param name="Subject">The subject (user id) of every session the chain issues.</param>
/// <param name="CreatedAt">When the chain was created.</param>
/// <param name="ExpiresAt">The chain's absolute end, which no rotation extends.</param>
/// <param name="Claims">
/// The custom claims every session of the chain carries, as the text of one JSON object (member names are the claim
/// names); <see langword="null"/> when the chain has none.
/// </param>
/// <param name="Description">A short description of the client given at <c>Create</c> (device name, user agent), or <see langword="null"/>.</param>
public sealed record RefreshChainRecord(
    string ChainId,
    string Subject,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string? Claims = null,
    string? Description = null)
{
    /// <summary>
    /// The custom claims every session of the chain carries, as the text of one JSON object; <see langword="null"/>
    /// when the chain has none.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not one well-formed JSON object.</exception>
    public string? Claims { get; init => field = CheckClaims(value); } = CheckClaims(Claims);

    /// <summary>
    /// The longest <see cref="Description"/>, in characters: 200, counted as Unicode code points (a character outside the
    /// Basic Multilingual Plane, two UTF-16 code units, is one).
    /// </summary>
    public const int MaxDescriptionLength = 200;

    /// <summary>
    /// The eight hexadecimal digits a chain id of <paramref name="subject"/> begins with: the first four bytes of the
    /// SHA-256 of the subject's UTF-8 form. Stores use it to place a subject's keys together.
    /// </summary>
    /// <param name="subject">The subject.</param>
    /// <returns>Eight lower-case hexadecimal digits.</returns>
    public static string SubjectTag(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Span<byte> digest = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(subject), digest);
        return Convert.ToHexStringLower(digest[..4]);
    }

    private static string? CheckClaims(string? claims)
    {
        if (claims is null)
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(claims, new System.Text.Json.JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                return claims;
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        throw new ArgumentException("The stored claims must be the text of one JSON object.", nameof(claims));
    }
}

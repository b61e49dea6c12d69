namespace Sessions.Jwt.Internal.Signing;

/// <summary>The JWS algorithms a key can be pinned to, by small integer id for the hot path.</summary>
internal static class JwsAlgorithms
{
    public const int Unknown = -1, HS256 = 0, ES256 = 1, RS256 = 2, PS256 = 3;

    public static bool IsSupported(string? algorithm) => IdOf(algorithm) != Unknown;

    public static int IdOf(string? algorithm) => algorithm switch
    {
        "HS256" => HS256,
        "ES256" => ES256,
        "RS256" => RS256,
        "PS256" => PS256,
        _ => Unknown,
    };

    /// <summary>Identifies the algorithm named by a header's <c>alg</c> value, escapes included, exactly (case matters: RFC 7515, section 4.1.1).</summary>
    public static int IdOf(ref System.Text.Json.Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("HS256"u8))
        {
            return HS256;
        }

        if (reader.ValueTextEquals("ES256"u8))
        {
            return ES256;
        }

        if (reader.ValueTextEquals("RS256"u8))
        {
            return RS256;
        }

        return reader.ValueTextEquals("PS256"u8) ? PS256 : Unknown;
    }
}

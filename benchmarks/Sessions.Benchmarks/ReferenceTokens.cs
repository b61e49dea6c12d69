using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Sessions.Benchmarks;

/// <summary>
/// Builds session-shaped tokens by hand (header {"alg":"HS256","typ":"JWT"}; iss, aud, sub, jti, iat, nbf, exp),
/// so that every row signs and verifies the same shape whoever produced it.
/// </summary>
internal static class ReferenceTokens
{
    public const string Issuer = "session-server";
    public const string Audience = "user";

    /// <summary>32 bytes of UTF-8 text: the same HS256 secret for every row.</summary>
    public const string SecretText = "benchmark-secret-0123456789abcdef";

    public static byte[] Key { get; } = Encoding.UTF8.GetBytes(SecretText);

    private static readonly string EncodedHeader = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    /// <summary>A token of our shape, optionally with the five custom claims of the claims rows.</summary>
    public static string Create(string subject, Guid id, DateTimeOffset issuedAt, TimeSpan lifetime, bool withCustomClaims = false)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("iss", Issuer);
            json.WriteString("aud", Audience);
            json.WriteString("sub", subject);
            json.WriteString("jti", id.ToString());
            var iat = issuedAt.ToUnixTimeSeconds();
            json.WriteNumber("iat", iat);
            json.WriteNumber("nbf", iat);
            json.WriteNumber("exp", iat + (long)lifetime.TotalSeconds);
            if (withCustomClaims)
            {
                json.WriteString("tenant", "acme");
                json.WriteStartArray("roles");
                json.WriteStringValue("admin");
                json.WriteStringValue("dev");
                json.WriteEndArray();
                json.WriteNumber("level", 2);
                json.WriteBoolean("mfa", true);
                json.WriteString("device", "d-123");
            }

            json.WriteEndObject();
        }

        var signingInput = EncodedHeader + "." + Base64Url.EncodeToString(buffer.ToArray());
        var signature = HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The ASCII bytes of <c>header.payload</c>: what HS256 signs.</summary>
    public static byte[] SigningInput(string token) => Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);

    /// <summary>The raw signature bytes of a token.</summary>
    public static byte[] Signature(string token) => Base64Url.DecodeFromChars(token.AsSpan(token.LastIndexOf('.') + 1));

    /// <summary>
    /// The same token with one signature character changed in the middle (not the last character, whose low bits
    /// base64url decoders may ignore), so the signature is well-formed but wrong.
    /// </summary>
    public static string WithBadSignature(string token)
    {
        var chars = token.ToCharArray();
        var index = token.Length - 20;
        chars[index] = chars[index] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    /// <summary>The token without its signature segment: two segments only.</summary>
    public static string Malformed(string token) => token[..token.LastIndexOf('.')];

    /// <summary>Throws when a benchmark was set up wrong, so that it cannot report numbers for the wrong thing.</summary>
    public static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Benchmark set-up check failed: " + what);
        }
    }
}

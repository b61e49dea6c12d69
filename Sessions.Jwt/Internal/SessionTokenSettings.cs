using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Sessions.Jwt.Internal;

/// <summary>
/// An immutable snapshot of <see cref="JwtSessionOptions"/> in the form the hot path wants: key ready, strings
/// encoded once, limits as plain numbers. A reconfiguration builds a new snapshot and swaps it in atomically.
/// </summary>
internal sealed class SessionTokenSettings : IDisposable
{
    /// <summary>The longest subject accepted when issuing, in characters.</summary>
    public const int MaxSubjectLength = 256;

    public const string Algorithm = "HS256";

    /// <summary>An HS256 signature is 32 bytes: 43 base64url characters without padding.</summary>
    public const int SignatureChars = 43;

    // {"alg":"HS256","typ":"JWT"} — the header the original service wrote, byte for byte.
    private static readonly byte[] s_headerJson = """{"alg":"HS256","typ":"JWT"}"""u8.ToArray();

    private SessionTokenSettings(JwtSessionOptions options, byte[] key)
    {
        Key = new HmacSha256Key(key);
        EncodedHeader = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(s_headerJson));
        Issuer = options.Issuer;
        Audience = options.Audience;
        IssuerUtf8 = Encoding.UTF8.GetBytes(options.Issuer);
        AudienceUtf8 = Encoding.UTF8.GetBytes(options.Audience);
        IssuerJson = JsonString(options.Issuer);
        AudienceJson = JsonString(options.Audience);
        LifetimeSeconds = (long)options.Lifetime.TotalSeconds;
        ClockSkewSeconds = (long)options.ClockSkew.TotalSeconds;
        MaxTokenLength = options.MaxTokenLength;
        MaxCustomClaims = options.MaxCustomClaims;
        MaxClaimNameLength = options.MaxClaimNameLength;
        MaxCustomClaimsBytes = options.MaxCustomClaimsBytes;
    }

    public HmacSha256Key Key { get; }

    /// <summary>The base64url header, as ASCII bytes.</summary>
    public byte[] EncodedHeader { get; }

    public string Issuer { get; }

    public string Audience { get; }

    public byte[] IssuerUtf8 { get; }

    public byte[] AudienceUtf8 { get; }

    /// <summary>The issuer as a JSON string literal, quotes included.</summary>
    public byte[] IssuerJson { get; }

    /// <summary>The audience as a JSON string literal, quotes included.</summary>
    public byte[] AudienceJson { get; }

    public long LifetimeSeconds { get; }

    public long ClockSkewSeconds { get; }

    public int MaxTokenLength { get; }

    public int MaxCustomClaims { get; }

    public int MaxClaimNameLength { get; }

    public int MaxCustomClaimsBytes { get; }

    /// <summary>Builds a snapshot, or throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> listing every problem.</summary>
    public static SessionTokenSettings Create(JwtSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = JwtSessionOptionsValidator.Collect(options);
        if (errors.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(
                Microsoft.Extensions.Options.Options.DefaultName, typeof(JwtSessionOptions), errors);
        }

        SecretDecoder.TryDecode(options.Secret!, out var key, out _);
        try
        {
            return new SessionTokenSettings(options, key);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The longest payload JSON the issuer can write under <paramref name="options"/>, in bytes.</summary>
    public static int MaxPayloadBytesFor(JwtSessionOptions options) =>
        MaxPayloadBytes(JsonString(options.Issuer ?? string.Empty).Length, JsonString(options.Audience ?? string.Empty).Length, options.MaxCustomClaimsBytes);

    /// <summary>The longest token the issuer can write under <paramref name="options"/>, in characters.</summary>
    public static int MaxTokenLengthFor(JwtSessionOptions options) =>
        36 + 1 + Base64Url.GetEncodedLength(MaxPayloadBytesFor(options)) + 1 + SignatureChars;

    public int MaxPayloadBytes(int customClaimsBytes) => MaxPayloadBytes(IssuerJson.Length, AudienceJson.Length, customClaimsBytes);

    public void Dispose() => Key.Dispose();

    private static int MaxPayloadBytes(int issuerJson, int audienceJson, int customClaimsBytes) =>
        // {"iss":I,"aud":A,"sub":S,"jti":"<36>","iat":N,"nbf":N,"exp":N,<custom>}
        // Numbers take at most 20 bytes; an escaped subject character at most 6 (\uXXXX).
        8 + issuerJson + 7 + audienceJson + 7 + (2 + (6 * MaxSubjectLength)) + 8 + 36 + 1 + (3 * (7 + 20)) + 1 + customClaimsBytes + 1;

    private static byte[] JsonString(string value) => JsonEncodedText.Encode(value).EncodedUtf8Bytes is var bytes
        ? [(byte)'"', .. bytes, (byte)'"']
        : [];
}

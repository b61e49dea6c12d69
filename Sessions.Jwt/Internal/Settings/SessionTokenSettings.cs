using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Sessions.Jwt.Internal.Reading;
using Sessions.Jwt.Internal.Signing;
using Sessions.Jwt.Internal.Writing;

namespace Sessions.Jwt.Internal.Settings;

/// <summary>
/// An immutable snapshot of <see cref="JwtSessionOptions"/> in the form the hot path wants: key ready, strings
/// encoded once, limits as plain numbers. A reconfiguration builds a new snapshot and swaps it in atomically.
/// </summary>
internal sealed class SessionTokenSettings : IDisposable
{
    /// <summary>The longest subject accepted when issuing, in characters.</summary>
    public const int MaxSubjectLength = 256;

    /// <summary>An HS256 signature is 32 bytes: 43 base64url characters without padding.</summary>
    public const int SignatureChars = 43;

    private SessionTokenSettings(JwtSessionOptions options, SessionKeySet keys)
    {
        Keys = new KeyRing(keys);
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
        CanonicalPayloadPrefix = [.. "{\"iss\":"u8, .. IssuerJson, .. ",\"aud\":"u8, .. AudienceJson, .. ",\"sub\":\""u8];
    }

    /// <summary>How every payload our issuer writes under these settings begins, up to the subject's first character.</summary>
    public byte[] CanonicalPayloadPrefix { get; }

    /// <summary>The keys: the signer, and every key that validates.</summary>
    public KeyRing Keys { get; }

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
    public static SessionTokenSettings Create(JwtSessionOptions options, SessionKeySet keys)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        var errors = JwtSessionOptionsValidator.Collect(options, checkKeys: false, keysRequired: false);
        var settings = errors.Count == 0 ? new SessionTokenSettings(options, keys) : null;
        if (settings?.Keys.Signer is { } signer)
        {
            var longest = 2 + signer.EncodedHeader.Length + Base64Url.GetEncodedLength(settings.MaxPayloadBytes(options.MaxCustomClaimsBytes)) + signer.SignatureChars;
            if (longest > options.MaxTokenLength)
            {
                errors.Add($"{options.SettingPrefix}MaxTokenLength ({options.MaxTokenLength}) is shorter than the longest token the signing key " +
                    $"'{signer.Key.Id}' ({signer.Key.Algorithm}) can write ({longest} characters): such tokens could not be validated. Raise MaxTokenLength or lower MaxCustomClaimsBytes.");
            }
        }

        if (errors.Count > 0)
        {
            settings?.Dispose();
            throw new Microsoft.Extensions.Options.OptionsValidationException(
                Microsoft.Extensions.Options.Options.DefaultName, typeof(JwtSessionOptions), errors);
        }

        return settings!;
    }

    /// <summary>The longest payload JSON the issuer can write under <paramref name="options"/>, in bytes.</summary>
    public static int MaxPayloadBytesFor(JwtSessionOptions options) =>
        MaxPayloadBytes(JsonString(options.Issuer ?? string.Empty).Length, JsonString(options.Audience ?? string.Empty).Length, MaxSubjectLength, options.MaxCustomClaimsBytes);

    /// <summary>The longest token the issuer can write under <paramref name="options"/>, in characters.</summary>
    public static int MaxTokenLengthFor(JwtSessionOptions options) =>
        36 + 1 + Base64Url.GetEncodedLength(MaxPayloadBytesFor(options)) + 1 + SignatureChars;

    /// <summary>The longest payload JSON with this many bytes of custom claims and a subject this long, in bytes.</summary>
    public int MaxPayloadBytes(int customClaimsBytes, int subjectLength = MaxSubjectLength) =>
        MaxPayloadBytes(IssuerJson.Length, AudienceJson.Length, subjectLength, customClaimsBytes);

    public void Dispose() => Keys.Dispose();

    /// <summary>
    /// Runs the sign and verify paths once on throw-away input, so that the first real session after start-up does not
    /// pay for loading the crypto library and compiling the hot path (tens of milliseconds otherwise).
    /// </summary>
    public void WarmUp()
    {
        if (Keys.Signer is null)
        {
            SessionTokenReader.Read(this, "e30.e30.AAAA", 0, out _);
            return;
        }

        var token = SessionTokenWriter.Write(this, "warm-up", Guid.Empty, 0, 1, default);
        SessionTokenReader.Read(this, token, 0, out _);
    }

    private static int MaxPayloadBytes(int issuerJson, int audienceJson, int subjectLength, int customClaimsBytes) =>
        // {"iss":I,"aud":A,"sub":S,"jti":"<36>","iat":N,"nbf":N,"exp":N,<custom>}
        // Numbers take at most 20 bytes; an escaped subject character at most 6 (\uXXXX).
        8 + issuerJson + 7 + audienceJson + 7 + (2 + (6 * subjectLength)) + 8 + 36 + 1 + (3 * (7 + 20)) + 1 + customClaimsBytes + 1;

    private static byte[] JsonString(string value) => JsonText.Quote(value);
}

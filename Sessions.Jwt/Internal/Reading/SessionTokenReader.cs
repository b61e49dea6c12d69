using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Sessions.Jwt.Internal.Settings;
using Sessions.Jwt.Internal.Signing;

namespace Sessions.Jwt.Internal.Reading;

/// <summary>
/// The validation hot path for our compact HS256 tokens: size, shape, header, signature in fixed time, claims and
/// times, in that order, without exceptions or allocations for any refused token. Only a valid token allocates: the
/// session and its subject.
/// </summary>
/// <remarks>
/// Stricter than RFC 7519 requires where it protects users, never looser: segments must be unpadded base64url with
/// canonical trailing bits, the header and payload valid UTF-8 JSON objects with unique member names, registered
/// claims of the right JSON type.
/// </remarks>
internal static class SessionTokenReader
{
    private const int StackLimit = 1024;

    /// <summary>The largest signature of a supported key: RSA 8192 bits.</summary>
    private const int MaxSignatureBytes = 1024;

    /// <summary>Authentic tokens from other systems may carry many claims; past this many we refuse to look.</summary>
    private const int MaxCustomClaims = 256;

    private static readonly SearchValues<char> s_base64UrlChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static SessionFailureReason Read(SessionTokenSettings settings, string? token, long nowMilliseconds, out Session? session)
    {
        session = null;
        if (string.IsNullOrEmpty(token))
        {
            return SessionFailureReason.Missing;
        }

        if (token.Length > settings.MaxTokenLength)
        {
            return SessionFailureReason.TooLarge;
        }

        var span = token.AsSpan();
        var firstDot = span.IndexOf('.');
        if (firstDot <= 0)
        {
            return SessionFailureReason.Malformed;
        }

        var secondDot = span[(firstDot + 1)..].IndexOf('.');
        if (secondDot <= 0)
        {
            return SessionFailureReason.Malformed;
        }

        secondDot += firstDot + 1;
        var headerChars = span[..firstDot];
        var payloadChars = span[(firstDot + 1)..secondDot];
        var signatureChars = span[(secondDot + 1)..];

        // One scan per segment both rejects a fourth segment (a '.' in the signature) and proves the signing input
        // is ASCII, so it can be narrowed to bytes without checks.
        if (headerChars.IndexOfAnyExcept(s_base64UrlChars) >= 0 ||
            payloadChars.IndexOfAnyExcept(s_base64UrlChars) >= 0 ||
            signatureChars.IndexOfAnyExcept(s_base64UrlChars) >= 0)
        {
            return SessionFailureReason.Malformed;
        }

        byte[]? rented = null;
        var scratchLength = Math.Max(secondDot, Base64Url.GetMaxDecodedLength(Math.Max(headerChars.Length, payloadChars.Length)));
        var scratch = scratchLength <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(scratchLength));
        try
        {
            var reason = CheckHeader(headerChars, scratch, settings.Keys, out var key);
            if (reason != SessionFailureReason.None)
            {
                return reason;
            }

            reason = CheckSignature(key!, span[..secondDot], signatureChars, scratch);
            if (reason != SessionFailureReason.None)
            {
                return reason;
            }

            if (!TryDecode(payloadChars, scratch, out var payloadLength))
            {
                return SessionFailureReason.Malformed;
            }

            return ReadClaims(settings, scratch[..payloadLength], token, firstDot + 1, secondDot, nowMilliseconds, out session);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Decodes unpadded base64url, refusing non-canonical trailing bits so each token has one spelling.</summary>
    internal static bool TryDecode(ReadOnlySpan<char> encoded, Span<byte> destination, out int written)
    {
        written = 0;
        if (encoded.Length % 4 == 1)
        {
            return false;
        }

        if (Base64Url.DecodeFromChars(encoded, destination, out var consumed, out written) != OperationStatus.Done || consumed != encoded.Length)
        {
            return false;
        }

        var unusedBits = (encoded.Length % 4) switch { 2 => 4, 3 => 2, _ => 0 };
        return unusedBits == 0 || (Base64UrlValue(encoded[^1]) & ((1 << unusedBits) - 1)) == 0;
    }

    private static int Base64UrlValue(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };

    private static SessionFailureReason CheckHeader(ReadOnlySpan<char> headerChars, Span<byte> scratch, KeyRing ring, out RingKey? key)
    {
        // Tokens we issued carry, byte for byte, the header their key writes: recognising it settles key and algorithm
        // without decoding or parsing. Any other spelling goes through the strict reader below.
        key = ring.FindByEncodedHeader(headerChars);
        if (key is not null)
        {
            return SessionFailureReason.None;
        }

        if (!TryDecode(headerChars, scratch, out var headerLength) || !Utf8.IsValid(scratch[..headerLength]))
        {
            return SessionFailureReason.Malformed;
        }

        return JoseHeaderReader.Check(scratch[..headerLength], ring, out key) switch
        {
            HeaderCheck.Ok => SessionFailureReason.None,
            HeaderCheck.UnsupportedAlgorithm => SessionFailureReason.UnsupportedAlgorithm,
            HeaderCheck.UnsupportedHeader => SessionFailureReason.UnsupportedHeader,
            HeaderCheck.UnknownKey => SessionFailureReason.UnknownKey,
            _ => SessionFailureReason.Malformed,
        };
    }

    private static SessionFailureReason CheckSignature(RingKey key, ReadOnlySpan<char> signingInput, ReadOnlySpan<char> signatureChars, Span<byte> scratch)
    {
        // Exactly the length the key's algorithm produces: no truncated MACs, no padding, no trailing data.
        Span<byte> signature = stackalloc byte[MaxSignatureBytes];
        if (signatureChars.Length != key.SignatureChars || !TryDecode(signatureChars, signature, out var length) || length != key.SignatureSize)
        {
            return SessionFailureReason.BadSignature;
        }

        var input = scratch[..signingInput.Length];
        Ascii.FromUtf16(signingInput, input, out _);
        return key.Verify(input, signature[..length]) ? SessionFailureReason.None : SessionFailureReason.BadSignature;
    }

    private static SessionFailureReason ReadClaims(SessionTokenSettings settings, Span<byte> payload, string token, int payloadStart, int payloadEnd, long nowMilliseconds, out Session? session)
    {
        session = null;
        ClaimsFound claims;
        try
        {
            // The canonical reader proves the UTF-8 of the only free text it takes (the subject) itself.
            var reason = CanonicalPayloadReader.TryRead(payload, settings, MaxCustomClaims, out claims, out var canonicalReason)
                ? canonicalReason
                : !Utf8.IsValid(payload)
                    ? SessionFailureReason.Malformed
                    : ClaimsScanner.Scan(payload, settings, MaxCustomClaims, out claims);
            if (reason != SessionFailureReason.None)
            {
                return reason;
            }
        }
        catch (JsonException)
        {
            return SessionFailureReason.Malformed;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader refuses escapes that decode to invalid UTF-16 (a lone surrogate) this way.
            return SessionFailureReason.Malformed;
        }

        var skew = settings.ClockSkewSeconds * 1000;
        if (nowMilliseconds >= claims.ExpiresAt + skew)
        {
            return SessionFailureReason.Expired;
        }

        if (claims.HasNotBefore && nowMilliseconds + skew < claims.NotBefore)
        {
            return SessionFailureReason.NotYetValid;
        }

        if (!claims.IssuerMatches)
        {
            return SessionFailureReason.WrongIssuer;
        }

        if (!claims.AudienceMatches)
        {
            return SessionFailureReason.WrongAudience;
        }

        var subject = claims.Subject ?? Encoding.UTF8.GetString(payload.Slice(claims.SubjectStart, claims.SubjectLength));
        var issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(claims.IssuedAt);
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(claims.ExpiresAt);
        DateTimeOffset? notBefore = claims.HasNotBefore ? DateTimeOffset.FromUnixTimeMilliseconds(claims.NotBefore) : null;

        if (claims.SessionIdIsGuid)
        {
            session = new JwtSession(subject, claims.SessionGuid, issuedAt, notBefore, expiresAt, token, payloadStart, payloadEnd, claims.CustomClaims);
        }
        else
        {
            var id = claims.SessionId ?? Encoding.UTF8.GetString(payload.Slice(claims.SessionIdStart, claims.SessionIdLength));
            session = new JwtSession(subject, id, issuedAt, notBefore, expiresAt, token, payloadStart, payloadEnd, claims.CustomClaims);
        }

        return SessionFailureReason.None;
    }
}

using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;
using Sessions.Jwt.Internal.Settings;

namespace Sessions.Jwt.Internal.Writing;

/// <summary>
/// Writes and signs session tokens. Everything happens in stack or pooled buffers; the token string is the only
/// allocation for a session without custom claims.
/// </summary>
internal static class SessionTokenWriter
{
    private const int StackLimit = 1024;

    /// <summary>The largest signature of a supported key: RSA 8192 bits.</summary>
    private const int MaxSignatureBytes = 1024;

    public static string Write(SessionTokenSettings settings, string subject, Guid sessionId, long issuedAt, long expiresAt, ReadOnlySpan<byte> customClaims)
    {
        var signer = settings.Keys.Signer ?? throw new InvalidOperationException(
            "The key set has no signing key: it can validate sessions but not issue them. Configure a Secret, or a key that can sign in Sessions:Keys.");
        // Bounded by this subject rather than the longest one, so that a usual payload fits on the stack.
        var maxPayload = settings.MaxPayloadBytes(customClaims.Length, subject.Length);
        byte[]? rentedPayload = null;
        var payload = maxPayload <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rentedPayload = ArrayPool<byte>.Shared.Rent(maxPayload));

        byte[]? rentedToken = null;
        try
        {
            var payloadLength = WritePayload(payload, settings, subject, sessionId, issuedAt, expiresAt, customClaims);

            var header = signer.EncodedHeader;
            var signingLength = header.Length + 1 + Base64Url.GetEncodedLength(payloadLength);
            var tokenLength = signingLength + 1 + signer.SignatureChars;
            var token = tokenLength <= StackLimit
                ? stackalloc byte[StackLimit]
                : (rentedToken = ArrayPool<byte>.Shared.Rent(tokenLength));

            header.CopyTo(token);
            token[header.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payload[..payloadLength], token[(header.Length + 1)..], out _, out _);

            Span<byte> signature = stackalloc byte[MaxSignatureBytes];
            signer.Sign(token[..signingLength], signature[..signer.SignatureSize]);
            token[signingLength] = (byte)'.';
            Base64Url.EncodeToUtf8(signature[..signer.SignatureSize], token[(signingLength + 1)..], out _, out _);

            // Base64url and dots only: every byte widens to its character, with no check for bytes above 0x7F.
            return Encoding.Latin1.GetString(token[..tokenLength]);
        }
        finally
        {
            if (rentedPayload is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedPayload);
            }

            if (rentedToken is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedToken);
            }
        }
    }

    private static int WritePayload(Span<byte> buffer, SessionTokenSettings settings, string subject, Guid sessionId, long issuedAt, long expiresAt, ReadOnlySpan<byte> customClaims)
    {
        // {"iss":…,"aud":…,"sub":" made once per settings: one copy rather than five on every token. nbf is iat, copied
        // rather than formatted twice.
        var position = 0;
        Append(buffer, ref position, settings.CanonicalPayloadPrefix);
        AppendJsonStringContent(buffer, ref position, subject);
        Append(buffer, ref position, "\",\"jti\":\""u8);
        sessionId.TryFormat(buffer[position..], out var written, "D");
        position += written;
        Append(buffer, ref position, "\",\"iat\":"u8);
        var issuedAtStart = position;
        AppendNumber(buffer, ref position, issuedAt);
        var issuedAtLength = position - issuedAtStart;
        Append(buffer, ref position, ""","nbf":"""u8);
        buffer.Slice(issuedAtStart, issuedAtLength).CopyTo(buffer[position..]);
        position += issuedAtLength;
        Append(buffer, ref position, ""","exp":"""u8);
        AppendNumber(buffer, ref position, expiresAt);
        if (!customClaims.IsEmpty)
        {
            buffer[position++] = (byte)',';
            Append(buffer, ref position, customClaims);
        }

        buffer[position++] = (byte)'}';
        return position;
    }

    private static void Append(Span<byte> buffer, ref int position, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer[position..]);
        position += bytes.Length;
    }

    private static void AppendNumber(Span<byte> buffer, ref int position, long value)
    {
        Utf8Formatter.TryFormat(value, buffer[position..], out var written);
        position += written;
    }

    /// <summary>A JSON string's content, without its quotes.</summary>
    private static void AppendJsonStringContent(Span<byte> buffer, ref int position, string value)
    {
        if (JsonText.IsPlain(value))
        {
            Utf8.FromUtf16(value, buffer[position..], out _, out var written);
            position += written;
            return;
        }

        // Rare: user ids are UUIDs. Escaping may allocate; correctness matters more than speed here.
        Append(buffer, ref position, JsonText.Escape(value));
    }
}

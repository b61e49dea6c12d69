using System.Buffers.Text;

namespace Sessions.Jwt.Internal;

/// <summary>
/// Reads, without a JSON reader, a payload in exactly the form our issuer writes:
/// <c>{"iss":I,"aud":A,"sub":"S","jti":"&lt;uuid&gt;","iat":N,"nbf":N,"exp":N}</c> with this validator's issuer and
/// audience. Anything else — another order, spacing, escapes, custom claims — is left to <see cref="ClaimsScanner"/>,
/// which accepts and refuses exactly as it would have for these bytes.
/// </summary>
internal static class CanonicalPayloadReader
{
    private const long MinSeconds = -62_135_596_800, MaxSeconds = 253_402_300_799;

    public static bool TryRead(ReadOnlySpan<byte> payload, SessionTokenSettings settings, out ClaimsFound found)
    {
        found = default;
        var prefix = settings.CanonicalPayloadPrefix;
        if (!payload.StartsWith(prefix))
        {
            return false;
        }

        var position = prefix.Length;

        // The subject: plain printable characters up to the closing quote (the payload is known to be valid UTF-8).
        var rest = payload[position..];
        var end = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (end <= 0 || rest[end] != '"' || rest[..end].IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
        {
            return false;
        }

        found.SubjectStart = position;
        found.SubjectLength = end;
        position += end;

        if (!Expect(payload, ref position, "\",\"jti\":\""u8) || payload.Length < position + 36)
        {
            return false;
        }

        var id = payload.Slice(position, 36);
        if (id.IndexOfAnyInRange((byte)'A', (byte)'Z') >= 0 || !Utf8Parser.TryParse(id, out Guid guid, out var consumed, 'D') || consumed != 36)
        {
            return false;
        }

        found.SessionIdIsGuid = true;
        found.SessionGuid = guid;
        position += 36;

        if (!Expect(payload, ref position, "\",\"iat\":"u8) || !Number(payload, ref position, out found.IssuedAt) ||
            !Expect(payload, ref position, ",\"nbf\":"u8) || !Number(payload, ref position, out found.NotBefore) ||
            !Expect(payload, ref position, ",\"exp\":"u8) || !Number(payload, ref position, out found.ExpiresAt) ||
            position != payload.Length - 1 || payload[position] != '}')
        {
            return false;
        }

        found.HasNotBefore = true;
        found.IssuerMatches = true;
        found.AudienceMatches = true;
        return found.NotBefore <= found.ExpiresAt;
    }

    private static bool Expect(ReadOnlySpan<byte> payload, ref int position, ReadOnlySpan<byte> text)
    {
        if (!payload[position..].StartsWith(text))
        {
            return false;
        }

        position += text.Length;
        return true;
    }

    /// <summary>An integer NumericDate as JSON writes it: optional minus, no leading zeros, within DateTimeOffset's range.</summary>
    private static bool Number(ReadOnlySpan<byte> payload, ref int position, out long milliseconds)
    {
        milliseconds = 0;
        var rest = payload[position..];
        var digitsStart = rest.Length > 0 && rest[0] == '-' ? 1 : 0;
        var length = rest[digitsStart..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (length <= 0 || length > 12 || (length > 1 && rest[digitsStart] == '0'))
        {
            return false;
        }

        if (!Utf8Parser.TryParse(rest[..(digitsStart + length)], out long seconds, out var consumed) || consumed != digitsStart + length ||
            seconds is < MinSeconds or > MaxSeconds)
        {
            return false;
        }

        milliseconds = seconds * 1000;
        position += consumed;
        return true;
    }
}

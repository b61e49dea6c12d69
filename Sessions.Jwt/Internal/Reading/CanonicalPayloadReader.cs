using System.Buffers.Text;
using Sessions.Jwt.Internal.Settings;

namespace Sessions.Jwt.Internal.Reading;

/// <summary>
/// Reads, without a JSON reader, a payload in exactly the form our issuer writes:
/// <c>{"iss":I,"aud":A,"sub":"S","jti":"&lt;uuid&gt;","iat":N,"nbf":N,"exp":N}</c> with this validator's issuer and
/// audience. Anything else — another order, spacing, escapes, custom claims — is left to <see cref="ClaimsScanner"/>,
/// which accepts and refuses exactly as it would have for these bytes.
/// </summary>
internal static class CanonicalPayloadReader
{
    private const long MinSeconds = -62_135_596_800, MaxSeconds = 253_402_300_799;

    /// <summary>Reads <paramref name="payload"/> if it has the canonical form, with or without custom claims after <c>exp</c>.</summary>
    /// <param name="payload">The decoded payload; its byte before the custom claims is briefly overwritten (and restored).</param>
    /// <param name="settings">The settings.</param>
    /// <param name="maxCustomClaims">The most custom claims looked at.</param>
    /// <param name="found">The claims read.</param>
    /// <param name="reason">The verdict when this reader took the payload.</param>
    /// <returns>Whether this reader took the payload; when not, the general scanner must read it.</returns>
    /// <exception cref="System.Text.Json.JsonException">The custom claims are not valid JSON.</exception>
    /// <exception cref="InvalidOperationException">A custom claim's escape decodes to invalid UTF-16.</exception>
    public static bool TryRead(Span<byte> payload, SessionTokenSettings settings, int maxCustomClaims, out ClaimsFound found, out SessionFailureReason reason)
    {
        reason = SessionFailureReason.None;
        if (!TryReadRegistered(payload, settings, out found, out var position))
        {
            return false;
        }

        if (payload[position] == '}')
        {
            if (position != payload.Length - 1)
            {
                return false;
            }
        }
        else
        {
            // Custom claims follow: scan just them, as the object "{" + rest, with the registered claims already seen.
            var tail = payload[position..];

            // "{" must open a member, or a trailing comma ("...,}") would read as an empty object.
            var next = tail[1..].TrimStart(" \t\r\n"u8);
            if (next.IsEmpty || next[0] != '"' || !System.Text.Unicode.Utf8.IsValid(tail))
            {
                reason = SessionFailureReason.Malformed;
                return true;
            }

            tail[0] = (byte)'{';
            try
            {
                reason = ClaimsScanner.ScanTail(tail, settings, maxCustomClaims, ref found);
            }
            finally
            {
                tail[0] = (byte)',';
            }

            if (reason != SessionFailureReason.None)
            {
                return true;
            }
        }

        if (found.NotBefore > found.ExpiresAt)
        {
            reason = SessionFailureReason.InvalidClaims;
        }

        return true;
    }

    private static bool TryReadRegistered(ReadOnlySpan<byte> payload, SessionTokenSettings settings, out ClaimsFound found, out int position)
    {
        found = default;
        position = 0;
        var prefix = settings.CanonicalPayloadPrefix;
        if (!payload.StartsWith(prefix))
        {
            return false;
        }

        position = prefix.Length;

        // The subject: plain printable characters up to the closing quote (the payload is known to be valid UTF-8).
        var rest = payload[position..];
        var end = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (end <= 0 || rest[end] != '"' || rest[..end].IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 ||
            (rest[..end].IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0 && !System.Text.Unicode.Utf8.IsValid(rest[..end])))
        {
            return false;
        }

        found.SubjectStart = position;
        found.SubjectLength = end;
        position += end;

        if (!Expect(payload, ref position, "\",\"jti\":\""u8) || payload.Length < position + JwtSession.UuidTextLength)
        {
            return false;
        }

        // A UUID-shaped id (36 plain characters): a lower-case UUID is kept as a Guid, formatted only if Session.Id is
        // read (keeping its text would grow every validated session by 36 bytes); anything else by its range.
        var id = payload.Slice(position, JwtSession.UuidTextLength);
        if (id.IndexOfAny((byte)'"', (byte)'\\') >= 0 || id.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0)
        {
            return false;
        }

        if (LowerCaseUuid.TryParse(id, out found.SessionGuid))
        {
            found.SessionIdIsGuid = true;
        }
        else
        {
            found.SessionIdStart = position;
            found.SessionIdLength = JwtSession.UuidTextLength;
        }

        position += JwtSession.UuidTextLength;

        if (!Expect(payload, ref position, "\",\"iat\":"u8) || !Number(payload, ref position, out found.IssuedAt) ||
            !Expect(payload, ref position, ",\"nbf\":"u8) || !Number(payload, ref position, out found.NotBefore) ||
            !Expect(payload, ref position, ",\"exp\":"u8) || !Number(payload, ref position, out found.ExpiresAt) ||
            position >= payload.Length || payload[position] is not ((byte)'}' or (byte)','))
        {
            return false;
        }

        found.HasNotBefore = true;
        found.IssuerMatches = true;
        found.AudienceMatches = true;
        return true;
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
        var index = position;
        var negative = index < payload.Length && payload[index] == '-';
        if (negative)
        {
            index++;
        }

        var first = index;
        long seconds = 0;
        while (index < payload.Length && (uint)(payload[index] - '0') <= 9 && index - first < 13)
        {
            seconds = (seconds * 10) + (payload[index] - '0');
            index++;
        }

        var digits = index - first;
        if (digits == 0 || digits > 12 || (digits > 1 && payload[first] == '0'))
        {
            return false;
        }

        seconds = negative ? -seconds : seconds;
        if (seconds is < MinSeconds or > MaxSeconds)
        {
            return false;
        }

        milliseconds = seconds * 1000;
        position = index;
        return true;
    }
}

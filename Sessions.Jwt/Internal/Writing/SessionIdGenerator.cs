using System.Buffers.Binary;
using Sessions.Internal;

namespace Sessions.Jwt.Internal.Writing;

/// <summary>
/// Makes session ids: version 7 UUIDs (RFC 9562, section 5.7) that carry the issue time to the millisecond, with 74
/// random bits.
/// </summary>
/// <remarks>
/// A token's <c>iat</c> has whole seconds, so it cannot say whether a session issued in the second of a
/// <c>RevokeAll</c> came before or after it; the id can, and the revocation check reads it there
/// (<c>SessionRevocationSet</c>). The random bits come from <see cref="RandomBytes"/>: <see cref="Guid.NewGuid"/> asks
/// the kernel for 16 bytes on every call, which measured as costly as the whole HMAC of a token.
/// </remarks>
internal static class SessionIdGenerator
{
    /// <summary>A new id for a session issued at <paramref name="issuedAtMilliseconds"/> (Unix time).</summary>
    public static Guid NewId(long issuedAtMilliseconds)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomBytes.Fill(bytes);

        // RFC 9562, section 5.7: the Unix time in milliseconds in the first 48 bits, version 7 in the high nibble of
        // octet 6, variant 0b10 in the top bits of octet 8; the rest random.
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, issuedAtMilliseconds);
        time[2..].CopyTo(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

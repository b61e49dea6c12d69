using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Sessions.Jwt.Internal.Writing;

/// <summary>
/// Makes session ids: version 7 UUIDs (RFC 9562, section 5.7) that carry the issue time to the millisecond, with 74
/// bits from the cryptographic generator, drawn in batches per thread.
/// </summary>
/// <remarks>
/// A token's <c>iat</c> has whole seconds, so it cannot say whether a session issued in the second of a
/// <c>RevokeAll</c> came before or after it; the id can, and the revocation check reads it there
/// (<c>SessionRevocationSet</c>). <see cref="Guid.NewGuid"/> asks the kernel for 16 bytes on every call, which
/// measured as costly as the whole HMAC of a token. A draw from the cryptographic generator costs about the same
/// whatever its size (2.0 µs for 16 bytes, 2.6 µs for 4 KiB, measured on Linux: OpenSSL's generator asks the kernel
/// for the process id and takes its locks on every call), so ids are drawn 256 at a time: 10 ns per id rather than
/// 63 with 32 at a time. The ids are as random; a thread that issues holds 4 KiB of them, each cleared once used.
/// </remarks>
internal static class SessionIdGenerator
{
    private const int BatchBytes = 16 * 256;

    [ThreadStatic]
    private static byte[]? t_batch;

    [ThreadStatic]
    private static int t_offset;

    /// <summary>A new id for a session issued at <paramref name="issuedAtMilliseconds"/> (Unix time).</summary>
    public static Guid NewId(long issuedAtMilliseconds)
    {
        var batch = t_batch;
        var offset = t_offset;
        if (batch is null || offset == BatchBytes)
        {
            batch = t_batch ??= new byte[BatchBytes];
            RandomNumberGenerator.Fill(batch);
            offset = 0;
        }

        var bytes = batch.AsSpan(offset, 16);
        t_offset = offset + 16;

        // RFC 9562, section 5.7: the Unix time in milliseconds in the first 48 bits, version 7 in the high nibble of
        // octet 6, variant 0b10 in the top bits of octet 8; the rest random.
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, issuedAtMilliseconds);
        time[2..].CopyTo(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var id = new Guid(bytes, bigEndian: true);
        bytes.Clear();
        return id;
    }
}

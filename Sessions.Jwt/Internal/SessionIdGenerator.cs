using System.Security.Cryptography;

namespace Sessions.Jwt.Internal;

/// <summary>
/// Makes session ids: random (version 4) UUIDs from the cryptographic generator, drawn in batches per thread.
/// </summary>
/// <remarks>
/// <see cref="Guid.NewGuid"/> asks the kernel for 16 bytes on every call, which measured as costly as the whole
/// HMAC of a token. Drawing 32 ids' worth at once keeps the ids as random and spreads that cost.
/// </remarks>
internal static class SessionIdGenerator
{
    private const int BatchBytes = 16 * 32;

    [ThreadStatic]
    private static byte[]? t_batch;

    [ThreadStatic]
    private static int t_offset;

    public static Guid NewId()
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

        // RFC 9562, section 5.4: version 4 in the high nibble of octet 6, variant 0b10 in the top bits of octet 8.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var id = new Guid(bytes, bigEndian: true);
        bytes.Clear();
        return id;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sessions.Internal;

/// <summary>
/// Compares 32-byte digests (an HMAC-SHA256 MAC, a SHA-256 hash) in a time that does not depend on their contents.
/// Linked into each package that needs it (Shared/ at the repository root).
/// </summary>
/// <remarks>
/// <see cref="System.Security.Cryptography.CryptographicOperations.FixedTimeEquals"/> is compiled without optimisation,
/// one indexer call per byte: about 1,100 instructions for 32 bytes, on every call that compares one. Four 64-bit words
/// XORed and ORed together with one test at the end have no branch that depends on the data either, in a few dozen.
/// </remarks>
internal static class Digest32
{
    /// <summary>The length this compares: 32 bytes.</summary>
    public const int Size = 32;

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are both 32 bytes long and equal.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool FixedTimeEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != Size || b.Length != Size)
        {
            return false;
        }

        var x = MemoryMarshal.Cast<byte, ulong>(a);
        var y = MemoryMarshal.Cast<byte, ulong>(b);
        return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0;
    }
}

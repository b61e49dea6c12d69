using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Sessions.Jwt.Internal.Signing;

/// <summary>
/// An HMAC-SHA256 key with a pool of keyed <see cref="IncrementalHash"/> instances.
/// </summary>
/// <remarks>
/// Setting the key is a large share of one-shot HMAC cost, and a keyed instance is not thread-safe: keeping a few
/// keyed instances and lending each to one caller at a time gives the speed of reuse with thread safety.
/// </remarks>
internal sealed class HmacSha256Key : IDisposable
{
    public const int MacSize = 32;

    private readonly byte[] _key;
    private readonly InstancePool<IncrementalHash> _pool;

    public HmacSha256Key(ReadOnlySpan<byte> key)
    {
        _key = key.ToArray();
        _pool = new InstancePool<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));
    }

    /// <summary>Computes the MAC of <paramref name="data"/> into the first 32 bytes of <paramref name="mac"/>.</summary>
    public void Compute(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        var hash = _pool.Rent();
        hash.AppendData(data);
        hash.TryGetHashAndReset(mac, out _);
        _pool.Return(hash);
    }

    /// <summary>Whether <paramref name="signature"/> is the MAC of <paramref name="data"/>, compared in fixed time.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> mac = stackalloc byte[MacSize];
        Compute(data, mac);
        return MacEquals(mac, signature);
    }

    /// <summary>Whether two 32-byte MACs are equal, in a time that does not depend on their contents.</summary>
    /// <remarks>
    /// <see cref="CryptographicOperations.FixedTimeEquals"/> is compiled without optimisation, one indexer call per
    /// byte: about 1,100 instructions for 32 bytes, on every Validate. Four 64-bit words XORed and ORed together with one
    /// test at the end have no branch that depends on the data either, in a few dozen.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static bool MacEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != MacSize || b.Length != MacSize)
        {
            return false;
        }

        var x = MemoryMarshal.Cast<byte, ulong>(a);
        var y = MemoryMarshal.Cast<byte, ulong>(b);
        return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0;
    }

    public void Dispose()
    {
        _pool.Dispose();
        CryptographicOperations.ZeroMemory(_key);
    }
}

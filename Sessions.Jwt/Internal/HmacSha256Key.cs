using System.Security.Cryptography;
using Sessions.Internal;

namespace Sessions.Jwt.Internal;

/// <summary>
/// An HMAC-SHA256 key with a pool of keyed <see cref="IncrementalHash"/> instances.
/// </summary>
/// <remarks>
/// Setting the key is a large share of one-shot HMAC cost, and a keyed instance is not thread-safe: keeping a few
/// keyed instances and lending each to one caller at a time gives the speed of reuse with thread safety.
/// </remarks>
internal sealed class HmacSha256Key : IDisposable
{
    public const int MacSize = Digest32.Size;

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
        return Digest32.FixedTimeEquals(mac, signature);
    }

    public void Dispose()
    {
        _pool.Dispose();
        CryptographicOperations.ZeroMemory(_key);
    }
}

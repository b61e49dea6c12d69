using System.Security.Cryptography;

namespace Sessions.Jwt.Internal;

/// <summary>
/// An HMAC-SHA256 key with a small pool of keyed <see cref="IncrementalHash"/> instances.
/// </summary>
/// <remarks>
/// Setting the key is a large share of one-shot HMAC cost, and a keyed instance is not thread-safe: keeping a few
/// keyed instances and lending each to one caller at a time gives the speed of reuse with thread safety.
/// </remarks>
internal sealed class HmacSha256Key : IDisposable
{
    public const int MacSize = 32;

    private readonly byte[] _key;
    private readonly IncrementalHash?[] _pool;
    private IncrementalHash? _first;
    private volatile bool _disposed;

    public HmacSha256Key(ReadOnlySpan<byte> key)
    {
        _key = key.ToArray();
        _pool = new IncrementalHash?[Math.Max(4, Environment.ProcessorCount * 2)];
    }

    public int KeyLength => _key.Length;

    /// <summary>Computes the MAC of <paramref name="data"/> into the first 32 bytes of <paramref name="mac"/>.</summary>
    public void Compute(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var hash = Rent();
        hash.AppendData(data);
        hash.TryGetHashAndReset(mac, out _);
        Return(hash);
    }

    /// <summary>Whether <paramref name="signature"/> is the MAC of <paramref name="data"/>, compared in fixed time.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> mac = stackalloc byte[MacSize];
        Compute(data, mac);
        return signature.Length == MacSize && CryptographicOperations.FixedTimeEquals(mac, signature);
    }

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_key);
        Interlocked.Exchange(ref _first, null)?.Dispose();
        for (var i = 0; i < _pool.Length; i++)
        {
            Interlocked.Exchange(ref _pool[i], null)?.Dispose();
        }
    }

    private IncrementalHash Rent()
    {
        var hash = Interlocked.Exchange(ref _first, null);
        if (hash is not null)
        {
            return hash;
        }

        var pool = _pool;
        for (var i = 0; i < pool.Length; i++)
        {
            hash = Interlocked.Exchange(ref pool[i], null);
            if (hash is not null)
            {
                return hash;
            }
        }

        return IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
    }

    private void Return(IncrementalHash hash)
    {
        if (!_disposed)
        {
            if (Interlocked.CompareExchange(ref _first, hash, null) is null)
            {
                return;
            }

            var pool = _pool;
            for (var i = 0; i < pool.Length; i++)
            {
                if (Interlocked.CompareExchange(ref pool[i], hash, null) is null)
                {
                    return;
                }
            }
        }

        hash.Dispose();
    }
}

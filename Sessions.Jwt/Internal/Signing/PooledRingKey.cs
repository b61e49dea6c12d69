using System.Security.Cryptography;

namespace Sessions.Jwt.Internal.Signing;

/// <summary>
/// An asymmetric key whose crypto objects are lent from a pool, one caller at a time: the pooling shared by the
/// ECDSA and RSA keys, which only say how to sign and verify with one object.
/// </summary>
internal abstract class PooledRingKey<T> : RingKey
    where T : AsymmetricAlgorithm
{
    private readonly InstancePool<T> _pool;

    protected PooledRingKey(SessionKey key, int signatureSize, Func<T> factory)
        : base(key, signatureSize)
    {
        _pool = new InstancePool<T>(factory);
    }

    public sealed override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var algorithm = _pool.Rent();
        try
        {
            return Verify(algorithm, data, signature);
        }
        finally
        {
            _pool.Return(algorithm);
        }
    }

    public sealed override void Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        var algorithm = _pool.Rent();
        try
        {
            Sign(algorithm, data, signature);
        }
        finally
        {
            _pool.Return(algorithm);
        }
    }

    public sealed override void Dispose() => _pool.Dispose();

    protected abstract bool Verify(T algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    protected abstract void Sign(T algorithm, ReadOnlySpan<byte> data, Span<byte> signature);
}

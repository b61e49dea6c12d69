using System.Security.Cryptography;

namespace Sessions.Jwt.Internal;

/// <summary>An RS256 (PKCS #1 v1.5) or PS256 (PSS, salt as long as the hash) key with SHA-256.</summary>
internal sealed class RsaRingKey : RingKey
{
    private readonly InstancePool<RSA> _pool;
    private readonly RSASignaturePadding _padding;

    public RsaRingKey(SessionKey key)
        : base(key, ((RSA)key.AsymmetricKey!).KeySize / 8)
    {
        var parameters = ((RSA)key.AsymmetricKey!).ExportParameters(key.CanSign);
        _pool = new InstancePool<RSA>(() => RSA.Create(parameters));
        _padding = key.Algorithm == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
    }

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var rsa = _pool.Rent();
        try
        {
            return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, _padding);
        }
        finally
        {
            _pool.Return(rsa);
        }
    }

    public override void Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        var rsa = _pool.Rent();
        try
        {
            rsa.TrySignData(data, signature, HashAlgorithmName.SHA256, _padding, out _);
        }
        finally
        {
            _pool.Return(rsa);
        }
    }

    public override void Dispose() => _pool.Dispose();
}

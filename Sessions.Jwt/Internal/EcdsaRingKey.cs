using System.Security.Cryptography;

namespace Sessions.Jwt.Internal;

/// <summary>An ES256 key: ECDSA P-256 with SHA-256, signatures as the 64-byte r‖s of RFC 7518, section 3.4.</summary>
internal sealed class EcdsaRingKey : RingKey
{
    private readonly InstancePool<ECDsa> _pool;

    public EcdsaRingKey(SessionKey key)
        : base(key, 64)
    {
        var parameters = ((ECDsa)key.AsymmetricKey!).ExportParameters(key.CanSign);
        _pool = new InstancePool<ECDsa>(() => ECDsa.Create(parameters));
    }

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var ecdsa = _pool.Rent();
        try
        {
            return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        finally
        {
            _pool.Return(ecdsa);
        }
    }

    public override void Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        var ecdsa = _pool.Rent();
        try
        {
            ecdsa.TrySignData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out _);
        }
        finally
        {
            _pool.Return(ecdsa);
        }
    }

    public override void Dispose() => _pool.Dispose();
}

using System.Security.Cryptography;

namespace Sessions.Jwt.Internal;

/// <summary>An ES256 key: ECDSA P-256 with SHA-256, signatures as the 64-byte r‖s of RFC 7518, section 3.4.</summary>
internal sealed class EcdsaRingKey(SessionKey key)
    : PooledRingKey<ECDsa>(key, 64, Factory(key))
{
    protected override bool Verify(ECDsa algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        algorithm.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    protected override void Sign(ECDsa algorithm, ReadOnlySpan<byte> data, Span<byte> signature) =>
        algorithm.TrySignData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out _);

    private static Func<ECDsa> Factory(SessionKey key)
    {
        var parameters = ((ECDsa)key.AsymmetricKey!).ExportParameters(key.CanSign);
        return () => ECDsa.Create(parameters);
    }
}

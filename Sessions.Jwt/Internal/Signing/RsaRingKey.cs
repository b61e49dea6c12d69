using System.Security.Cryptography;

namespace Sessions.Jwt.Internal.Signing;

/// <summary>An RS256 (PKCS #1 v1.5) or PS256 (PSS, salt as long as the hash) key with SHA-256.</summary>
internal sealed class RsaRingKey(SessionKey key)
    : PooledRingKey<RSA>(key, ((RSA)key.AsymmetricKey!).KeySize / 8, Factory(key))
{
    private readonly RSASignaturePadding _padding = key.Algorithm == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

    protected override bool Verify(RSA algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        algorithm.VerifyData(data, signature, HashAlgorithmName.SHA256, _padding);

    protected override void Sign(RSA algorithm, ReadOnlySpan<byte> data, Span<byte> signature) =>
        algorithm.TrySignData(data, signature, HashAlgorithmName.SHA256, _padding, out _);

    private static Func<RSA> Factory(SessionKey key)
    {
        var parameters = ((RSA)key.AsymmetricKey!).ExportParameters(key.CanSign);
        return () => RSA.Create(parameters);
    }
}

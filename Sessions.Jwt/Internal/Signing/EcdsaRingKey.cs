using System.Security.Cryptography;

namespace Sessions.Jwt.Internal.Signing;

/// <summary>
/// An ES256 key: ECDSA P-256 with SHA-256, signatures as the 64-byte r‖s of RFC 7518, section 3.4. Only the low-S
/// spelling (s at most n/2) is signed or accepted: (r, n - s) verifies as well as (r, s), and a token must have one
/// spelling.
/// </summary>
internal sealed class EcdsaRingKey(SessionKey key)
    : PooledRingKey<ECDsa>(key, SignatureBytes, Factory(key))
{
    private const int SignatureBytes = 64;

    private const int ScalarBytes = 32;

    /// <summary>The order n of the P-256 group, big-endian (FIPS 186-4, D.1.2.3).</summary>
    private static ReadOnlySpan<byte> Order =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ];

    /// <summary>floor(n / 2), big-endian: the largest S we sign or accept.</summary>
    private static ReadOnlySpan<byte> HalfOrder =>
    [
        0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B, 0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8,
    ];

    protected override bool Verify(ECDsa algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        !IsHighS(signature[ScalarBytes..])
        && algorithm.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    protected override void Sign(ECDsa algorithm, ReadOnlySpan<byte> data, Span<byte> signature)
    {
        // The platform signers (OpenSSL, CNG) return either spelling; validators that insist on low S must accept ours.
        algorithm.TrySignData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out _);
        var s = signature[ScalarBytes..SignatureBytes];
        if (IsHighS(s))
        {
            SubtractFromOrder(s);
        }
    }

    /// <summary>Equal-length big-endian numbers compare as their bytes do. The signature is public, so no fixed time.</summary>
    private static bool IsHighS(ReadOnlySpan<byte> s) => s.SequenceCompareTo(HalfOrder) > 0;

    /// <summary>Replaces <paramref name="s"/> (big-endian, below n) with n - s.</summary>
    private static void SubtractFromOrder(Span<byte> s)
    {
        var borrow = 0;
        for (var i = ScalarBytes - 1; i >= 0; i--)
        {
            var difference = Order[i] - s[i] - borrow;
            borrow = difference < 0 ? 1 : 0;
            s[i] = (byte)(difference + (borrow << 8));
        }
    }

    private static Func<ECDsa> Factory(SessionKey key)
    {
        var parameters = ((ECDsa)key.AsymmetricKey!).ExportParameters(key.CanSign);
        return () => ECDsa.Create(parameters);
    }
}

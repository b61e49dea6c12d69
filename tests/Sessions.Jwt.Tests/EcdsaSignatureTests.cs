using System.Buffers.Text;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Sessions.Jwt.Tests;

/// <summary>
/// An ECDSA signature (r, s) has a twin (r, n - s) that verifies just as well: the same token spelled twice. We accept
/// only the low-S spelling (s at most n/2) and issue only that one, so a token has one spelling, as for every other
/// second spelling (base64url padding, trailing bits) we already refuse.
/// </summary>
public class EcdsaSignatureTests
{
    /// <summary>The order of the P-256 group (FIPS 186-4, D.1.2.3).</summary>
    private static readonly BigInteger s_order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    private static readonly ECDsa s_ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static JwtSessionOptions Options(bool privateKey = true)
    {
        var options = new JwtSessionOptions();
        options.Keys.Add(new JwtSessionKeyOptions
        {
            Id = "ec",
            Algorithm = "ES256",
            Pem = privateKey ? s_ec.ExportPkcs8PrivateKeyPem() : s_ec.ExportSubjectPublicKeyInfoPem(),
        });
        return options;
    }

    private static BigInteger S(string token) =>
        new(Base64Url.DecodeFromChars(token.Split('.')[2]).AsSpan(32), isUnsigned: true, isBigEndian: true);

    private static string WithTwinSignature(string token)
    {
        var parts = token.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        var twin = s_order - new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var twinBytes = twin.ToByteArray(isUnsigned: true, isBigEndian: true);
        var twinSignature = new byte[64];
        signature.AsSpan(0, 32).CopyTo(twinSignature);
        twinBytes.CopyTo(twinSignature.AsSpan(64 - twinBytes.Length));
        return parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(twinSignature);
    }

    [Fact]
    public void The_high_s_twin_of_an_issued_es256_token_is_refused_as_bad_signature()
    {
        using var issuer = new JwtSessionIssuer(Options());
        using var validator = new JwtSessionValidator(Options(privateKey: false));
        var token = issuer.Issue(TestTokens.Subject).Token;
        var twin = WithTwinSignature(token);

        // The twin is a genuine ECDSA signature of the same bytes: the platform's verifier accepts it.
        var parts = twin.Split('.');
        Assert.True(s_ec.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]),
            Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        Assert.True(validator.Validate(token).IsValid);
        Assert.Equal(SessionFailureReason.BadSignature, validator.Validate(twin).FailureReason);
    }

    [Fact]
    public void Issued_es256_signatures_are_all_low_s_so_strict_validators_accept_them()
    {
        // The platform signer (OpenSSL, CNG) returns high S for about half of all signatures; 64 in a row being low by
        // chance has a probability of 2^-64.
        using var issuer = new JwtSessionIssuer(Options());
        using var validator = new JwtSessionValidator(Options(privateKey: false));
        for (var i = 0; i < 64; i++)
        {
            var token = issuer.Issue(TestTokens.Subject).Token;
            Assert.True(S(token) <= s_order / 2, "issued token " + i + " has a high S");
            Assert.True(validator.Validate(token).IsValid);
        }
    }
}

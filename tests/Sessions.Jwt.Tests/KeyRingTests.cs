using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.Options;

namespace Sessions.Jwt.Tests;

public class KeyRingTests
{
    private static readonly ECDsa s_ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly RSA s_rsa = RSA.Create(2048);

    private static JwtSessionKeyOptions Pem(string id, string algorithm, bool privateKey = true) => new()
    {
        Id = id,
        Algorithm = algorithm,
        Pem = algorithm == "ES256"
            ? (privateKey ? s_ec.ExportPkcs8PrivateKeyPem() : s_ec.ExportSubjectPublicKeyInfoPem())
            : (privateKey ? s_rsa.ExportPkcs8PrivateKeyPem() : s_rsa.ExportSubjectPublicKeyInfoPem()),
    };

    private static JwtSessionOptions Ring(params JwtSessionKeyOptions[] keys)
    {
        var options = new JwtSessionOptions();
        foreach (var key in keys)
        {
            options.Keys.Add(key);
        }

        return options;
    }

    private static JsonElement Header(string token) => JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[0])).RootElement;

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public void Asymmetric_keys_sign_with_kid_and_validate(string algorithm)
    {
        var options = Ring(Pem("k1", algorithm));
        using var keys = new OptionsSessionKeySource(options);
        using var issuer = new JwtSessionIssuer(options, keys);
        using var validator = new JwtSessionValidator(options, keys);

        var issued = issuer.Issue(TestTokens.Subject);
        var header = Header(issued.Token);

        Assert.Equal(algorithm, header.GetProperty("alg").GetString());
        Assert.Equal("k1", header.GetProperty("kid").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        Assert.True(validator.Validate(issued.Token).IsValid);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public async Task JsonWebTokenHandler_verifies_asymmetric_tokens_with_the_public_key_only(string algorithm)
    {
        var options = Ring(Pem("k1", algorithm));
        using var issuer = new JwtSessionIssuer(options);
        var token = issuer.Issue(TestTokens.Subject).Token;

        SecurityKey publicKey = algorithm == "ES256"
            ? new ECDsaSecurityKey(ECDsa.Create(s_ec.ExportParameters(false))) { KeyId = "k1" }
            : new RsaSecurityKey(s_rsa.ExportParameters(false)) { KeyId = "k1" };
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = publicKey, ValidIssuer = "session-server", ValidAudience = "user", ValidAlgorithms = [algorithm],
        });

        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public void A_public_key_validates_but_cannot_sign()
    {
        var signing = Ring(Pem("k1", "ES256"));
        using var issuer = new JwtSessionIssuer(signing);
        var token = issuer.Issue("u").Token;

        var verifying = Ring(Pem("k1", "ES256", privateKey: false));
        using var validator = new JwtSessionValidator(verifying);
        Assert.True(validator.Validate(token).IsValid);

        using var publicOnly = new JwtSessionIssuer(verifying);
        var error = Assert.Throws<InvalidOperationException>(() => publicOnly.Issue("u"));
        Assert.Contains("no signing key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotation_keeps_old_tokens_valid_and_signs_new_ones_with_the_new_kid()
    {
        var before = Ring(Pem("old", "ES256"), new JwtSessionKeyOptions { Id = "new", Algorithm = "RS256", Pem = s_rsa.ExportPkcs8PrivateKeyPem() });
        before.SigningKeyId = "old";
        using var oldIssuer = new JwtSessionIssuer(before);
        var oldToken = oldIssuer.Issue("u").Token;

        var after = Ring(Pem("old", "ES256"), new JwtSessionKeyOptions { Id = "new", Algorithm = "RS256", Pem = s_rsa.ExportPkcs8PrivateKeyPem() });
        after.SigningKeyId = "new";
        using var newIssuer = new JwtSessionIssuer(after);
        using var validator = new JwtSessionValidator(after);
        var newToken = newIssuer.Issue("u").Token;

        Assert.Equal("new", Header(newToken).GetProperty("kid").GetString());
        Assert.True(validator.Validate(oldToken).IsValid);
        Assert.True(validator.Validate(newToken).IsValid);

        using var retired = new JwtSessionValidator(Ring(new JwtSessionKeyOptions { Id = "new", Algorithm = "RS256", Pem = s_rsa.ExportPkcs8PrivateKeyPem() }));
        Assert.Equal(SessionFailureReason.UnknownKey, retired.Validate(oldToken).FailureReason);
        Assert.True(retired.Validate(newToken).IsValid);
    }

    [Fact]
    public void A_legacy_secret_keeps_validating_tokens_without_kid_beside_a_ring()
    {
        using var legacyIssuer = new JwtSessionIssuer(TestTokens.Options());
        var legacy = legacyIssuer.Issue("u").Token;

        var options = Ring(Pem("k1", "ES256"));
        options.Secret = TestTokens.Secret;
        using var issuer = new JwtSessionIssuer(options);
        using var validator = new JwtSessionValidator(options);

        Assert.True(validator.Validate(legacy).IsValid);
        Assert.Equal("k1", Header(issuer.Issue("u").Token).GetProperty("kid").GetString());
    }

    [Fact]
    public void An_hs256_token_signed_with_the_rsa_public_key_as_secret_is_refused()
    {
        // The classic algorithm-confusion attack: the public key is public, so an attacker can HMAC with its bytes.
        var publicPem = s_rsa.ExportSubjectPublicKeyInfoPem();
        var options = Ring(Pem("rsa", "RS256", privateKey: false));
        using var validator = new JwtSessionValidator(options);

        var naming = TestTokens.Sign("{\"alg\":\"HS256\",\"kid\":\"rsa\",\"typ\":\"JWT\"}", TestTokens.Claims(), publicPem);
        Assert.Equal(SessionFailureReason.UnsupportedAlgorithm, validator.Validate(naming).FailureReason);

        var anonymous = TestTokens.Sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", TestTokens.Claims(), publicPem);
        Assert.Equal(SessionFailureReason.UnknownKey, validator.Validate(anonymous).FailureReason);

        var der = TestTokens.SignRaw(Encoding.UTF8.GetBytes("{\"alg\":\"HS256\",\"kid\":\"rsa\"}"), Encoding.UTF8.GetBytes(TestTokens.Claims()), s_rsa.ExportSubjectPublicKeyInfo(), HashAlgorithmName.SHA256);
        Assert.Equal(SessionFailureReason.UnsupportedAlgorithm, validator.Validate(der).FailureReason);
    }

    [Fact]
    public void A_kid_pointing_to_a_key_of_another_type_is_refused()
    {
        var options = Ring(Pem("ec", "ES256"), Pem("rsa", "RS256"));
        using var issuer = new JwtSessionIssuer(options);
        using var validator = new JwtSessionValidator(options);
        var token = issuer.Issue("u").Token;
        var parts = token.Split('.');

        // Re-point the ES256 token's kid at the RSA key, keeping alg: the key's algorithm decides.
        var header = TestTokens.Segment("{\"alg\":\"ES256\",\"kid\":\"rsa\",\"typ\":\"JWT\"}");
        Assert.Equal(SessionFailureReason.UnsupportedAlgorithm, validator.Validate(header + "." + parts[1] + "." + parts[2]).FailureReason);

        var relabelled = TestTokens.Segment("{\"alg\":\"RS256\",\"kid\":\"ec\",\"typ\":\"JWT\"}");
        Assert.Equal(SessionFailureReason.UnsupportedAlgorithm, validator.Validate(relabelled + "." + parts[1] + "." + parts[2]).FailureReason);
    }

    [Fact]
    public void An_hs256_ring_key_gets_a_kid_and_a_wrong_secret_fails()
    {
        var options = Ring(new JwtSessionKeyOptions { Id = "h1", Secret = TestTokens.Secret });
        using var issuer = new JwtSessionIssuer(options);
        using var validator = new JwtSessionValidator(options);
        var token = issuer.Issue("u").Token;

        Assert.Equal("""{"alg":"HS256","kid":"h1","typ":"JWT"}""", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[0])));
        Assert.True(validator.Validate(token).IsValid);
        var forged = TestTokens.Sign("{\"alg\":\"HS256\",\"kid\":\"h1\"}", TestTokens.Claims(), "some-other-secret-with-32-bytes-or-more");
        Assert.Equal(SessionFailureReason.BadSignature, validator.Validate(forged).FailureReason);
    }

    [Fact]
    public void Keys_load_from_jwk_and_files()
    {
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(s_ec));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, s_rsa.ExportRSAPrivateKeyPem());
            var options = Ring(
                new JwtSessionKeyOptions { Id = "jwk", Algorithm = "ES256", Jwk = JsonSerializer.Serialize(new { kty = "EC", crv = "P-256", x = jwk.X, y = jwk.Y, d = jwk.D }) },
                new JwtSessionKeyOptions { Id = "file", Algorithm = "PS256", PemFile = path },
                new JwtSessionKeyOptions { Id = "oct", Algorithm = "HS256", Jwk = "{\"kty\":\"oct\",\"k\":\"" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) + "\"}" },
                new JwtSessionKeyOptions { Id = "dev", Algorithm = "ES256", Generate = true });

            foreach (var id in new[] { "jwk", "file", "oct", "dev" })
            {
                options.SigningKeyId = id;
                using var keys = new OptionsSessionKeySource(options);
                using var issuer = new JwtSessionIssuer(options, keys);
                using var validator = new JwtSessionValidator(options, keys);
                var token = issuer.Issue("u").Token;
                Assert.Equal(id, Header(token).GetProperty("kid").GetString());
                Assert.True(validator.Validate(token).IsValid, id);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(null, "ES256", "Id is not set")]
    [InlineData("k", "HS512", "use one of HS256, ES256, RS256, PS256")]
    [InlineData("k", "ES256", "needs exactly one of")]
    public void Bad_key_options_fail_with_a_message_that_names_the_key(string? id, string algorithm, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(Ring(new JwtSessionKeyOptions { Id = id, Algorithm = algorithm })));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signing_key_id_beside_a_secret_alone_is_refused_naming_the_setting()
    {
        // A secret signs without a kid; SigningKeyId can only name a key of Keys.
        var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(TestTokens.Options(o => o.SigningKeyId = "2026-11")));

        Assert.Contains("JwtSessionOptions.SigningKeyId is '2026-11', but JwtSessionOptions.Keys is empty", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_pem_file_and_a_wrong_key_type_fail_clearly()
    {
        var missing = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(Ring(new JwtSessionKeyOptions { Id = "k", Algorithm = "ES256", PemFile = "/nonexistent/key.pem" })));
        Assert.Contains("JwtSessionOptions.Keys[0].PemFile '/nonexistent/key.pem' cannot be read", missing.Message, StringComparison.Ordinal);

        var wrongType = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(Ring(new JwtSessionKeyOptions { Id = "k", Algorithm = "ES256", Pem = s_rsa.ExportPkcs8PrivateKeyPem() })));
        Assert.Contains("could not be read as a key for ES256", wrongType.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", wrongType.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> MalformedJwks() => new()
    {
        // algorithm, JWK, what the error must say of it
        { "ES256", """{"kty":"EC","crv":"P-256","x":"ab+c/d==","y":"ab+c/d=="}""", "not valid base64url" },
        { "ES256", """{"kty":"EC","crv":"P-256","x":"AAAA"}""", "no 'y'" },
        { "ES256", """{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}""", "could not be read as a key for ES256" },
        { "RS256", """{"kty":"RSA","n":"not base64url!","e":"AQAB"}""", "not valid base64url" },
        { "RS256", """{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB"}""", "no 'p'" },
        { "HS256", """{"kty":"oct","k":"a+b/c=="}""", "not valid base64url" },
        { "HS256", """{"kty":"oct","k":42}""", "not a valid JSON Web Key" },
        { "ES256", """{"kty":"EC",""", "not a valid JSON Web Key" },
    };

    [Theory]
    [MemberData(nameof(MalformedJwks))]
    public void A_malformed_jwk_is_a_settings_error_naming_the_setting_and_the_key(string algorithm, string jwk, string says)
    {
        // Before, a member that is not base64url escaped the checks as the decoder's FormatException ("IDX10400:
        // Unable to decode ..."), naming neither the setting nor the key.
        var inline = Ring(new JwtSessionKeyOptions { Id = "k1", Algorithm = algorithm, Jwk = jwk });
        var path = Path.Combine(Path.GetTempPath(), $"sessions-jwk-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, jwk);
        try
        {
            var fromFile = Ring(Pem("k0", "ES256"), new JwtSessionKeyOptions { Id = "k1", Algorithm = algorithm, JwkFile = path });
            foreach (var (options, setting) in new[] { (inline, "JwtSessionOptions.Keys[0].Jwk"), (fromFile, "JwtSessionOptions.Keys[1].JwkFile") })
            {
                var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionValidator(options));

                Assert.Contains($"Key 'k1' ({setting})", error.Message, StringComparison.Ordinal);
                Assert.Contains(says, error.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("IDX", error.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("ab+c", error.Message, StringComparison.Ordinal);
                Assert.Equal(error.Message, Assert.Throws<OptionsValidationException>(() => new OptionsSessionKeySource(options)).Message);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_signing_key_id_of_no_key_is_named_without_a_parameter_name()
    {
        // The key source's own check (the options validator of a host finds it first): its message ended with
        // " (Parameter 'signingKeyId')", a parameter of the code rather than a setting.
        var options = Ring(Pem("k1", "ES256"));
        options.SigningKeyId = "k2";

        var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(options));

        Assert.Contains("JwtSessionOptions.SigningKeyId: The signing key 'k2' is not in the key set.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weak_rsa_keys_are_refused()
    {
        using var weak = RSA.Create(1024);
        var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(Ring(new JwtSessionKeyOptions { Id = "k", Algorithm = "RS256", Pem = weak.ExportPkcs8PrivateKeyPem() })));
        Assert.Contains("at least 2048 bits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_jwks_never_holds_private_or_symmetric_material()
    {
        var options = Ring(Pem("ec", "ES256"), Pem("rsa", "RS256"), new JwtSessionKeyOptions { Id = "hs", Secret = TestTokens.Secret });
        options.Secret = TestTokens.Secret;
        using var keys = new OptionsSessionKeySource(options);

        var json = JsonWebKeySetSerializer.Serialize(keys.GetKeys());
        var published = JsonDocument.Parse(json).RootElement.GetProperty("keys").EnumerateArray().ToList();

        Assert.Equal(["ec", "rsa"], published.Select(k => k.GetProperty("kid").GetString()));
        foreach (var key in published)
        {
            var members = key.EnumerateObject().Select(m => m.Name).ToHashSet();
            Assert.Empty(members.Intersect(["d", "p", "q", "dp", "dq", "qi", "k", "oth"]));
            Assert.Equal("sig", key.GetProperty("use").GetString());
        }

        var ecPrivate = Base64Url.EncodeToString(s_ec.ExportParameters(true).D);
        var rsaPrivate = Base64Url.EncodeToString(s_rsa.ExportParameters(true).D);
        Assert.DoesNotContain(ecPrivate, json, StringComparison.Ordinal);
        Assert.DoesNotContain(rsaPrivate, json, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTokens.Segment(TestTokens.Secret), json, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_asymmetric_signing_and_validation_agree()
    {
        var options = Ring(Pem("k1", "ES256"));
        using var keys = new OptionsSessionKeySource(options);
        using var issuer = new JwtSessionIssuer(options, keys);
        using var validator = new JwtSessionValidator(options, keys);
        var failures = 0;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (!validator.Validate(issuer.Issue("u" + i).Token).IsValid)
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }
}

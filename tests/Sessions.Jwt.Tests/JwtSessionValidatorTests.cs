using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Sessions.Jwt.Tests;

public class JwtSessionValidatorTests
{
    private readonly FakeTimeProvider _clock = TestTokens.Clock();

    private SessionValidationResult Validate(string? token, Action<JwtSessionOptions>? configure = null)
    {
        using var validator = new JwtSessionValidator(TestTokens.Options(configure), _clock);
        return validator.Validate(token);
    }

    private static void AssertRefused(SessionFailureReason expected, SessionValidationResult result)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Session);
        Assert.Equal(expected, result.FailureReason);
    }

    [Fact]
    public void Validate_accepts_an_issued_token_and_returns_the_session()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), _clock);
        var issued = issuer.Issue(TestTokens.Subject);

        var result = Validate(issued.Token);

        Assert.True(result.IsValid);
        Assert.Equal(SessionFailureReason.None, result.FailureReason);
        Assert.Equal(TestTokens.Subject, result.Session.Subject);
        Assert.Equal(issued.SessionId.ToString(), result.Session.Id);
        Assert.Equal(issued.IssuedAt, result.Session.IssuedAt);
        Assert.Equal(issued.IssuedAt, result.Session.NotBefore);
        Assert.Equal(issued.ExpiresAt, result.Session.ExpiresAt);
        Assert.Empty(result.Session.Claims);
    }

    [Fact]
    public void Validate_accepts_a_hand_made_token_with_the_same_claims()
    {
        var result = Validate(TestTokens.Token());
        Assert.True(result.IsValid);
        Assert.Equal(TestTokens.SessionId, result.Session.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_reports_a_missing_token(string? token) => AssertRefused(SessionFailureReason.Missing, Validate(token));

    [Fact]
    public void Validate_refuses_an_absurdly_long_token_before_parsing()
    {
        AssertRefused(SessionFailureReason.TooLarge, Validate(new string('a', 100_000)));
        AssertRefused(SessionFailureReason.TooLarge, Validate(TestTokens.Token(TestTokens.Claims(extra: ",\"pad\":\"" + new string('x', 3000) + "\"")), o => { o.MaxTokenLength = 2500; o.MaxCustomClaimsBytes = 0; }));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("garbage")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9..sig")]
    [InlineData(".eyJzdWIiOiIxIn0.sig")]
    [InlineData("e30.e30.e30=")]
    [InlineData("e30=.e30.AAAA")]
    [InlineData("e3 0.e30.AAAA")]
    [InlineData("e30.e30.AA\0A")]
    [InlineData("ëyJ.e30.AAAA")]
    public void Validate_refuses_tokens_that_are_not_three_base64url_segments(string token) =>
        AssertRefused(SessionFailureReason.Malformed, Validate(token));

    [Theory]
    [InlineData("[]")]
    [InlineData("\"HS256\"")]
    [InlineData("{\"alg\":\"HS256\"")]
    [InlineData("{\"alg\":\"HS256\",\"alg\":\"HS256\"}")]
    [InlineData("{\"alg\":\"HS256\"} {}")]
    [InlineData("{\"alg\":HS256}")]
    [InlineData("{\"alg\":256}")]
    [InlineData("{\"alg\":\"HS256\",\"kid\":7}")]
    [InlineData("{\"\\u0061lg\":\"HS256\"}")]
    public void Validate_refuses_a_header_that_is_not_a_strict_json_object(string header) =>
        AssertRefused(SessionFailureReason.Malformed, Validate(TestTokens.Sign(header, TestTokens.Claims())));

    [Fact]
    public void Validate_refuses_a_header_that_is_not_utf8()
    {
        var token = TestTokens.SignRaw([(byte)'{', 0xFF, (byte)'}'], Encoding.UTF8.GetBytes(TestTokens.Claims()), Encoding.UTF8.GetBytes(TestTokens.Secret), HashAlgorithmName.SHA256);
        AssertRefused(SessionFailureReason.Malformed, Validate(token));
    }

    [Theory]
    [InlineData("{\"alg\":\"none\",\"typ\":\"JWT\"}")]
    [InlineData("{\"alg\":\"None\",\"typ\":\"JWT\"}")]
    [InlineData("{\"alg\":\"NONE\",\"typ\":\"JWT\"}")]
    [InlineData("{\"alg\":\"hs256\",\"typ\":\"JWT\"}")]
    [InlineData("{\"alg\":\"RS256\",\"typ\":\"JWT\"}")]
    [InlineData("{\"typ\":\"JWT\"}")]
    public void Validate_refuses_any_algorithm_but_hs256(string header) =>
        AssertRefused(SessionFailureReason.UnsupportedAlgorithm, Validate(TestTokens.Sign(header, TestTokens.Claims())));

    [Fact]
    public void Validate_refuses_alg_none_with_an_empty_signature()
    {
        var token = TestTokens.Segment("{\"alg\":\"none\"}") + "." + TestTokens.Segment(TestTokens.Claims()) + ".";
        Assert.False(Validate(token).IsValid);
    }

    [Theory]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public void Validate_refuses_longer_hmacs_made_with_the_right_secret(string algorithm)
    {
        var hash = algorithm == "HS384" ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
        var token = TestTokens.Sign($"{{\"alg\":\"{algorithm}\",\"typ\":\"JWT\"}}", TestTokens.Claims(), algorithm: hash);
        AssertRefused(SessionFailureReason.UnsupportedAlgorithm, Validate(token));
    }

    [Theory]
    [InlineData("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}")]
    [InlineData("{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}")]
    [InlineData("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}")]
    [InlineData("{\"alg\":\"HS256\",\"typ\":\"JWE\"}")]
    public void Validate_refuses_headers_it_must_understand_but_does_not(string header) =>
        AssertRefused(SessionFailureReason.UnsupportedHeader, Validate(TestTokens.Sign(header, TestTokens.Claims())));

    [Theory]
    [InlineData("{\"alg\":\"HS256\"}")]
    [InlineData("{\"typ\":\"jwt\",\"alg\":\"HS256\"}")]
    [InlineData("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"jku\":\"https://attacker.example/jwks\"}")]
    [InlineData("{\"alg\":\"HS256\",\"x5u\":\"https://attacker.example/cert\"}")]
    [InlineData("{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}}")]
    [InlineData("{\"alg\":\"HS256\",\"cty\":\"x\",\"custom\":[1,2,{\"a\":null}]}")]
    public void Validate_ignores_header_members_that_cannot_steer_the_key(string header) =>
        Assert.True(Validate(TestTokens.Sign(header, TestTokens.Claims())).IsValid);

    [Fact]
    public void Validate_ignores_an_injected_jwk_and_checks_with_the_configured_secret()
    {
        // An attacker signs with their own key and ships it in the header: the key must never be used.
        const string attackerKey = "attacker-controlled-secret-32-bytes-long!!";
        var header = "{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"" + TestTokens.Segment(attackerKey) + "\"}}";
        AssertRefused(SessionFailureReason.BadSignature, Validate(TestTokens.Sign(header, TestTokens.Claims(), attackerKey)));
    }

    [Fact]
    public void Validate_refuses_a_kid_it_does_not_know() =>
        AssertRefused(SessionFailureReason.UnknownKey, Validate(TestTokens.Sign("{\"alg\":\"HS256\",\"kid\":\"other\"}", TestTokens.Claims())));

    [Fact]
    public void Validate_refuses_a_token_signed_with_another_secret() =>
        AssertRefused(SessionFailureReason.BadSignature, Validate(TestTokens.Sign(TestTokens.PlainHeader, TestTokens.Claims(), "another-secret-that-is-also-long-enough")));

    [Fact]
    public void Validate_refuses_a_tampered_payload()
    {
        var parts = TestTokens.Token().Split('.');
        var forged = TestTokens.Segment(TestTokens.Claims(sub: "\"00000000-0000-0000-0000-000000000000\""));
        AssertRefused(SessionFailureReason.BadSignature, Validate(parts[0] + "." + forged + "." + parts[2]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(42)]
    public void Validate_refuses_every_flipped_signature_character(int position)
    {
        var token = TestTokens.Token();
        var signatureStart = token.LastIndexOf('.') + 1;
        var chars = token.ToCharArray();
        chars[signatureStart + position] = chars[signatureStart + position] == 'A' ? 'B' : 'A';
        AssertRefused(SessionFailureReason.BadSignature, Validate(new string(chars)));
    }

    [Fact]
    public void Validate_refuses_a_signature_with_non_canonical_trailing_bits()
    {
        // 43 characters carry 258 bits for a 256-bit MAC: the last two bits must be zero, or one token would have
        // four spellings.
        var token = TestTokens.Token();
        var last = token[^1];
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var sibling = alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) ^ 1];
        AssertRefused(SessionFailureReason.BadSignature, Validate(token[..^1] + sibling));
    }

    [Fact]
    public void Validate_refuses_a_truncated_or_extended_signature()
    {
        var token = TestTokens.Token();
        AssertRefused(SessionFailureReason.BadSignature, Validate(token[..^1]));
        AssertRefused(SessionFailureReason.BadSignature, Validate(token + "AAAA"));
        AssertRefused(SessionFailureReason.BadSignature, Validate(token[..(token.LastIndexOf('.') + 1)]));
    }

    [Fact]
    public void Validate_refuses_an_expired_token_after_the_clock_skew()
    {
        var token = TestTokens.Token(TestTokens.Claims(exp: TestTokens.NowSeconds + 60));
        Assert.True(Validate(token).IsValid);

        _clock.Advance(TimeSpan.FromSeconds(60 + 29));
        Assert.True(Validate(token).IsValid);

        _clock.Advance(TimeSpan.FromSeconds(1));
        AssertRefused(SessionFailureReason.Expired, Validate(token));
    }

    [Fact]
    public void Validate_treats_exp_as_exclusive_without_skew()
    {
        var token = TestTokens.Token(TestTokens.Claims(exp: TestTokens.NowSeconds + 1));
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.True(Validate(token, o => o.ClockSkew = TimeSpan.Zero).IsValid);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        AssertRefused(SessionFailureReason.Expired, Validate(token, o => o.ClockSkew = TimeSpan.Zero));
    }

    [Fact]
    public void Validate_refuses_a_token_not_yet_valid_beyond_the_clock_skew()
    {
        var future = TestTokens.NowSeconds + 31;
        AssertRefused(SessionFailureReason.NotYetValid, Validate(TestTokens.Token(TestTokens.Claims(nbf: future))));
        Assert.True(Validate(TestTokens.Token(TestTokens.Claims(nbf: TestTokens.NowSeconds + 30))).IsValid);
    }

    [Fact]
    public void Validate_accepts_a_token_without_nbf()
    {
        var payload = $$"""{"iss":"session-server","aud":"user","sub":"u","jti":"j","iat":{{TestTokens.NowSeconds}},"exp":{{TestTokens.NowSeconds + 60}}}""";
        var result = Validate(TestTokens.Token(payload));
        Assert.True(result.IsValid);
        Assert.Null(result.Session.NotBefore);
    }

    [Fact]
    public void Validate_accepts_fractional_numeric_dates()
    {
        var payload = $$"""{"iss":"session-server","aud":"user","sub":"u","jti":"j","iat":{{TestTokens.NowSeconds}}.25,"exp":{{TestTokens.NowSeconds + 60}}.5}""";
        var result = Validate(TestTokens.Token(payload));
        Assert.True(result.IsValid);
        Assert.Equal(TestTokens.Now.AddSeconds(60.5), result.Session.ExpiresAt);
    }

    [Theory]
    [InlineData("\"someone-else\"")]
    [InlineData("\"Session-Server\"")]
    [InlineData("\"session-server \"")]
    public void Validate_refuses_a_wrong_issuer(string issuer) =>
        AssertRefused(SessionFailureReason.WrongIssuer, Validate(TestTokens.Token(TestTokens.Claims(iss: issuer))));

    [Fact]
    public void Validate_refuses_a_token_without_issuer()
    {
        var payload = $$"""{"aud":"user","sub":"u","jti":"j","iat":{{TestTokens.NowSeconds}},"exp":{{TestTokens.NowSeconds + 60}}}""";
        AssertRefused(SessionFailureReason.WrongIssuer, Validate(TestTokens.Token(payload)));
    }

    [Theory]
    [InlineData("\"admin\"")]
    [InlineData("[]")]
    [InlineData("[\"admin\",\"api\"]")]
    public void Validate_refuses_a_wrong_audience(string audience) =>
        AssertRefused(SessionFailureReason.WrongAudience, Validate(TestTokens.Token(TestTokens.Claims(aud: audience))));

    [Fact]
    public void Validate_accepts_an_audience_array_that_names_us() =>
        Assert.True(Validate(TestTokens.Token(TestTokens.Claims(aud: "[\"admin\",\"user\"]"))).IsValid);

    [Fact]
    public void Validate_compares_escaped_strings_by_their_meaning() =>
        Assert.True(Validate(TestTokens.Token(TestTokens.Claims(iss: "\"session\\u002dserver\"", aud: "\"\\u0075ser\""))).IsValid);

    [Theory]
    [InlineData("exp", "\"2026-11-29\"")]
    [InlineData("exp", "null")]
    [InlineData("iat", "true")]
    [InlineData("nbf", "[1]")]
    [InlineData("exp", "99999999999999999999")]
    [InlineData("exp", "1e300")]
    [InlineData("exp", "-99999999999999")]
    [InlineData("sub", "42")]
    [InlineData("sub", "\"\"")]
    [InlineData("jti", "{}")]
    [InlineData("iss", "[\"session-server\"]")]
    [InlineData("aud", "{\"user\":true}")]
    [InlineData("aud", "[\"user\",1]")]
    public void Validate_refuses_registered_claims_of_the_wrong_json_type(string claim, string value)
    {
        var payload = TestTokens.Claims().Replace($"\"{claim}\":", $"\"{claim}_original\":", StringComparison.Ordinal)
            .TrimEnd('}') + $",\"{claim}\":{value}}}";
        AssertRefused(SessionFailureReason.InvalidClaims, Validate(TestTokens.Token(payload)));
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("jti")]
    [InlineData("iat")]
    [InlineData("exp")]
    public void Validate_refuses_a_token_missing_a_required_claim(string claim)
    {
        var payload = TestTokens.Claims().Replace($"\"{claim}\":", $"\"{claim}_gone\":", StringComparison.Ordinal);
        AssertRefused(SessionFailureReason.InvalidClaims, Validate(TestTokens.Token(payload)));
    }

    [Theory]
    [InlineData(",\"exp\":1")]
    [InlineData(",\"sub\":\"other\"")]
    [InlineData(",\"\\u0073ub\":\"other\"")]
    [InlineData(",\"role\":\"a\",\"role\":\"b\"")]
    [InlineData(",\"role\":\"a\",\"r\\u006fle\":\"b\"")]
    public void Validate_refuses_duplicated_claims(string extra) =>
        AssertRefused(SessionFailureReason.Malformed, Validate(TestTokens.Token(TestTokens.Claims(extra: extra))));

    [Theory]
    [InlineData("[]")]
    [InlineData("\"claims\"")]
    [InlineData("{\"sub\":\"x\"")]
    [InlineData("{\"sub\":\"x\"}{}")]
    [InlineData("{'sub':'x'}")]
    public void Validate_refuses_a_payload_that_is_not_one_json_object(string payload) =>
        AssertRefused(SessionFailureReason.Malformed, Validate(TestTokens.Token(payload)));

    [Fact]
    public void Validate_refuses_deeply_nested_json_without_crashing()
    {
        var nested = new string('[', 10_000) + new string(']', 10_000);
        AssertRefused(SessionFailureReason.Malformed, Validate(TestTokens.Token(TestTokens.Claims(extra: ",\"deep\":" + nested)), o => o.MaxTokenLength = 100_000));
    }

    [Fact]
    public void Validate_refuses_a_payload_that_is_not_utf8()
    {
        var payload = Encoding.UTF8.GetBytes(TestTokens.Claims(extra: ",\"x\":\"__\"")).ToArray();
        var at = Array.IndexOf(payload, (byte)'_');
        payload[at] = 0xC3;
        payload[at + 1] = 0x28;
        var token = TestTokens.SignRaw(Encoding.UTF8.GetBytes(TestTokens.PlainHeader), payload, Encoding.UTF8.GetBytes(TestTokens.Secret), HashAlgorithmName.SHA256);
        AssertRefused(SessionFailureReason.Malformed, Validate(token));
    }

    [Fact]
    public void Validate_refuses_an_escape_that_is_not_valid_utf16() =>
        AssertRefused(SessionFailureReason.Malformed, Validate(TestTokens.Token(TestTokens.Claims(sub: "\"\\uD800\""))));

    [Fact]
    public void Validate_keeps_a_non_uuid_session_id_exactly()
    {
        var result = Validate(TestTokens.Token(TestTokens.Claims(jti: "\"3F2504E0-4F89-11D3-9A0C-0305E82C3301\"")));
        Assert.Equal("3F2504E0-4F89-11D3-9A0C-0305E82C3301", result.Session!.Id);
        Assert.Equal("opaque-id", Validate(TestTokens.Token(TestTokens.Claims(jti: "\"opaque-id\""))).Session!.Id);

        // 36 characters, as a UUID's text, but not one: the canonical reader takes them and keeps the text exactly.
        Assert.Equal("0b6e2c1e-8f3a-4c5d-9e7f-1a2b3c4d5e6g", Validate(TestTokens.Token(TestTokens.Claims(jti: "\"0b6e2c1e-8f3a-4c5d-9e7f-1a2b3c4d5e6g\""))).Session!.Id);
        Assert.Equal("0b6e2c1e_8f3a-4c5d-9e7f-1a2b3c4d5e6f", Validate(TestTokens.Token(TestTokens.Claims(jti: "\"0b6e2c1e_8f3a-4c5d-9e7f-1a2b3c4d5e6f\""))).Session!.Id);
        Assert.Equal("{b6e2c1e-8f3a-4c5d-9e7f-1a2b3c4d5e6f}", Validate(TestTokens.Token(TestTokens.Claims(jti: "\"{b6e2c1e-8f3a-4c5d-9e7f-1a2b3c4d5e6f}\""))).Session!.Id);
    }

    [Fact]
    public void Validating_a_plain_session_token_allocates_at_most_256_bytes()
    {
        // The validated session and its result are what a Validate allocates; reading its id adds the id's string.
        using var validator = new JwtSessionValidator(TestTokens.Options(), _clock);
        var token = TestTokens.Token();
        Assert.Equal(TestTokens.SessionId, validator.Validate(token).Session!.Id);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            validator.Validate(token);
        }

        var perValidation = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        Assert.True(perValidation <= 256, $"{perValidation} bytes per validation");
    }

    [Fact]
    public void Validate_returns_custom_claims_only_when_asked()
    {
        var token = TestTokens.Token(TestTokens.Claims(extra: ""","tenant":"acme","roles":["admin","dev"],"level":2,"score":1.5,"mfa":true,"meta":{"a":[1,null]},"mixed":["a",1]"""));
        var session = Validate(token).Session!;
        var claims = session.Claims;

        Assert.Equal(7, claims.Count);
        Assert.Equal("acme", claims["tenant"].AsString());
        Assert.Equal(new[] { "admin", "dev" }, claims["roles"].AsStrings());
        Assert.Equal(2, claims["level"].AsInteger());
        Assert.Equal(1.5, claims["score"].AsNumber());
        Assert.True(claims["mfa"].AsBoolean());
        Assert.Equal("""{"a":[1,null]}""", claims["meta"].AsJson());
        Assert.Equal("""["a",1]""", claims["mixed"].AsJson());
        Assert.True(claims.IsReadOnly);
        Assert.Same(claims, session.Claims);
    }

    [Fact]
    public async Task ValidateAsync_completes_synchronously()
    {
        using var validator = new JwtSessionValidator(TestTokens.Options(), _clock);
        var pending = validator.ValidateAsync(TestTokens.Token());
        Assert.True(pending.IsCompletedSuccessfully);
        Assert.True((await pending).IsValid);
    }
}

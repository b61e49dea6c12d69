using System.Buffers.Text;
using System.Text.Json;

namespace Sessions.Jwt.Tests;

public class CustomClaimsTests
{
    private static (JwtSessionIssuer Issuer, JwtSessionValidator Validator) Pair(Action<JwtSessionOptions>? configure = null) =>
        (new JwtSessionIssuer(TestTokens.Options(configure)), new JwtSessionValidator(TestTokens.Options(configure)));

    [Fact]
    public void Every_value_kind_round_trips()
    {
        var (issuer, validator) = Pair();
        var claims = new SessionClaims
        {
            ["tenant"] = "acme",
            ["level"] = 2L,
            ["score"] = 0.25,
            ["mfa"] = true,
            ["roles"] = new[] { "admin", "dev" },
            ["empty"] = Array.Empty<string>(),
            ["unicode"] = "naïve ✓ \"quoted\"",
            ["meta"] = SessionClaimValue.FromJson("""{"nested":[1,2]}"""),
        };

        var session = validator.Validate(issuer.Issue(TestTokens.Subject, claims).Token).Session!;

        Assert.Equal(claims.Count, session.Claims.Count);
        foreach (var (name, value) in claims)
        {
            Assert.Equal(value, session.Claims[name]);
        }

        Assert.Equal(claims.Keys, session.Claims.Keys);
    }

    [Fact]
    public void Validating_a_claim_that_holds_an_array_allocates_no_more_than_one_that_holds_a_string()
    {
        // The check for duplicate member names keeps state for objects only: arrays, the common case, cost nothing.
        var (issuer, validator) = Pair();
        var withString = issuer.Issue(TestTokens.Subject, new SessionClaims { ["roles"] = "admin" }).Token;
        var withArray = issuer.Issue(TestTokens.Subject, new SessionClaims { ["roles"] = new[] { "admin", "dev" }, ["grid"] = SessionClaimValue.FromJson("[[1,2],[3]]") }).Token;

        Assert.Equal(AllocatedPerValidation(validator, withString), AllocatedPerValidation(validator, withArray));
    }

    private static long AllocatedPerValidation(JwtSessionValidator validator, string token)
    {
        Assert.True(validator.Validate(token).IsValid);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            validator.Validate(token);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
    }

    [Fact]
    public void Claims_are_written_after_the_registered_ones_in_the_payload()
    {
        var (issuer, _) = Pair();
        var token = issuer.Issue(TestTokens.Subject, new SessionClaims { ["tenant"] = "acme" }).Token;
        var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement;

        Assert.Equal(["iss", "aud", "sub", "jti", "iat", "nbf", "exp", "tenant"], payload.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("aud")]
    [InlineData("sub")]
    [InlineData("jti")]
    [InlineData("iat")]
    [InlineData("nbf")]
    [InlineData("exp")]
    public void Registered_claims_cannot_be_set(string name)
    {
        var (issuer, _) = Pair();
        var error = Assert.Throws<ArgumentException>(() => issuer.Issue(TestTokens.Subject, new SessionClaims { [name] = "x" }));
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_number_of_claims_is_limited()
    {
        var (issuer, _) = Pair(o => o.MaxCustomClaims = 3);
        var claims = new SessionClaims { ["a"] = 1L, ["b"] = 2L, ["c"] = 3L };
        Assert.NotNull(issuer.Issue("u", claims).Token);

        claims["d"] = 4L;
        var error = Assert.Throws<ArgumentException>(() => issuer.Issue("u", claims));
        Assert.Contains("at most 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_claim_name_length_is_limited()
    {
        var (issuer, _) = Pair(o => o.MaxClaimNameLength = 8);
        Assert.NotNull(issuer.Issue("u", new SessionClaims { ["12345678"] = true }).Token);
        var error = Assert.Throws<ArgumentException>(() => issuer.Issue("u", new SessionClaims { ["123456789"] = true }));
        Assert.Contains("at most 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_claim_name_too_long_is_named_when_short_and_described_by_its_length_when_it_could_be_a_secret()
    {
        var (issuer, _) = Pair(o => o.MaxClaimNameLength = 8);
        var refreshToken = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));

        var misspelt = Assert.Throws<ArgumentException>(() => issuer.Issue("u", new SessionClaims { ["tenant_id"] = true }));
        var secret = Assert.Throws<ArgumentException>(() => issuer.Issue("u", new SessionClaims { [refreshToken] = true }));

        Assert.StartsWith("The custom claim name 'tenant_id' is too long: at most 8 are allowed", misspelt.Message, StringComparison.Ordinal);
        Assert.StartsWith("The custom claim name of 64 characters is too long: at most 8 are allowed", secret.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(refreshToken[..12], secret.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_claims_size_is_limited()
    {
        var (issuer, _) = Pair(o => o.MaxCustomClaimsBytes = 100);
        Assert.NotNull(issuer.Issue("u", new SessionClaims { ["note"] = new string('x', 80) }).Token);
        var error = Assert.Throws<ArgumentException>(() => issuer.Issue("u", new SessionClaims { ["note"] = new string('x', 100) }));
        Assert.Contains("at most 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_claim_name_is_refused()
    {
        var (issuer, _) = Pair();
        Assert.Throws<ArgumentException>(() => issuer.Issue("u", new SessionClaims { [""] = "x" }));
    }

    [Fact]
    public void A_failed_issue_does_not_leak_claims_into_the_next_token()
    {
        var (issuer, validator) = Pair(o => o.MaxCustomClaimsBytes = 100);
        Assert.Throws<ArgumentException>(() => issuer.Issue("u", new SessionClaims { ["note"] = new string('x', 200) }));

        var session = validator.Validate(issuer.Issue("u", new SessionClaims { ["ok"] = true }).Token).Session!;
        Assert.Equal(["ok"], session.Claims.Keys);
    }

    [Fact]
    public void A_default_claim_value_is_the_empty_string_not_a_null()
    {
        // default(SessionClaimValue) is of kind String with no text: AsString() and ToString() gave null, and issuing a
        // session with it failed inside the JSON writer.
        SessionClaimValue unset = default;
        using var issuer = new JwtSessionIssuer(TestTokens.Options());
        using var validator = new JwtSessionValidator(TestTokens.Options());

        var issued = issuer.Issue(TestTokens.Subject, new SessionClaims { ["note"] = unset });
        var read = validator.Validate(issued.Token);

        Assert.Equal(string.Empty, unset.AsString());
        Assert.Equal(string.Empty, unset.ToString());
        Assert.Equal((SessionClaimValue)string.Empty, unset);
        Assert.True(read.IsValid, read.FailureReason.ToString());
        Assert.Equal(string.Empty, read.Session!.Claims["note"].AsString());
    }

    [Fact]
    public void SessionClaimValue_refuses_non_finite_numbers_and_invalid_json()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SessionClaimValue.FromNumber(double.NaN));
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromJson("{"));
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromJson("1 2"));
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromJson(""));
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromJson("  "));
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromJson("""{"a":1,"a":2}"""));
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromJson("""[{"a":{"b":1,"\u0062":2}}]"""));
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromJson("""{"\ud800":1}"""));
        // Half a surrogate pair in a string, escaped or as a character, as in a member name: refused when the value is
        // made, not when a session is issued with it.
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromJson("""["\ud800"]"""));
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromJson("""{"k":"a\udc00b"}"""));
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromJson("\"\ud800\""));
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromJson("[\"" + '\ud800' + "\"]"));
        Assert.Equal("""["\ud83d\ude00","\u00e9"]""", SessionClaimValue.FromJson("""["\ud83d\ude00","\u00e9"]""").AsJson());
        Assert.Equal("""[{"a":1},{"a":{"a":2}}]""", SessionClaimValue.FromJson("""[{"a":1},{"a":{"a":2}}]""").AsJson());
        Assert.Throws<InvalidOperationException>(() => ((SessionClaimValue)"text").AsInteger());
    }
}

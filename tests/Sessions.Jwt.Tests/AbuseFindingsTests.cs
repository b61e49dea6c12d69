namespace Sessions.Jwt.Tests;

/// <summary>
/// Regressions for what the hostile-input battery and the fuzzer found: each test is the exact input that failed.
/// </summary>
public class AbuseFindingsTests
{
    /// <summary>
    /// Found by the gRPC battery: a signed token whose custom claim nests 17 to 63 levels deep was accepted, but reading
    /// <see cref="Session.Claims"/> threw <see cref="ArgumentException"/> (the claim reader re-parsed the value with a
    /// 16-level limit), so <c>Validate</c> over gRPC failed with <c>Internal</c>. Every accepted token must have
    /// readable claims.
    /// </summary>
    [Theory]
    [InlineData(17)]
    [InlineData(40)]
    [InlineData(63)]
    public void Claims_of_an_accepted_token_nested_deeper_than_16_levels_can_be_read(int depth)
    {
        var nested = new string('[', depth) + new string(']', depth);
        using var validator = new JwtSessionValidator(TestTokens.Options(), TestTokens.Clock());

        var result = validator.Validate(TestTokens.Token(TestTokens.Claims(extra: ",\"deep\":" + nested)));

        Assert.True(result.IsValid);
        Assert.Equal(nested, result.Session!.Claims["deep"].AsJson());
    }

    [Fact]
    public void Claim_nested_64_levels_is_refused_by_the_validator_so_no_accepted_claim_is_deeper_than_63()
    {
        using var validator = new JwtSessionValidator(TestTokens.Options(), TestTokens.Clock());

        var result = validator.Validate(TestTokens.Token(TestTokens.Claims(extra: ",\"deep\":" + new string('[', 64) + new string(']', 64))));

        Assert.Equal(SessionFailureReason.Malformed, result.FailureReason);
    }

    [Fact]
    public void A_json_claim_nested_63_levels_issues_a_token_that_validates_and_64_levels_is_refused_at_issue()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options(), TestTokens.Clock());
        using var validator = new JwtSessionValidator(TestTokens.Options(), TestTokens.Clock());
        var deepest = new string('[', 63) + new string(']', 63);

        var issued = issuer.Issue(TestTokens.Subject, new SessionClaims { ["deep"] = SessionClaimValue.FromJson(deepest) });

        Assert.Equal(deepest, validator.Validate(issued.Token).Session!.Claims["deep"].AsJson());
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromJson("[" + deepest + "]"));
    }
}

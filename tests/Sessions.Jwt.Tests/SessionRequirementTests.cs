namespace Sessions.Jwt.Tests;

public class SessionRequirementTests
{
    private static Session SessionWith(SessionClaims claims)
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options());
        using var validator = new JwtSessionValidator(TestTokens.Options());
        return validator.Validate(issuer.Issue(TestTokens.Subject, claims).Token).Session!;
    }

    private static readonly Session s_session = SessionWith(new SessionClaims
    {
        ["role"] = new[] { "admin", "dev" },
        ["tenant"] = "acme",
        ["auth_level"] = 2L,
        ["score"] = 0.5,
        ["mfa"] = true,
    });

    [Theory]
    [InlineData("role", "admin", true)]
    [InlineData("role", "owner", false)]
    [InlineData("role", "ADMIN", false)]
    [InlineData("tenant", "acme", true)]
    [InlineData("missing", "x", false)]
    [InlineData("auth_level", "2", false)]
    public void ClaimContains_looks_in_strings_and_string_arrays(string claim, string value, bool expected) =>
        Assert.Equal(expected, SessionRequirement.ClaimContains(claim, value).IsSatisfiedBy(s_session));

    [Fact]
    public void ClaimEquals_compares_kind_and_value_with_numbers_by_value()
    {
        Assert.True(SessionRequirement.ClaimEquals("tenant", "acme").IsSatisfiedBy(s_session));
        Assert.False(SessionRequirement.ClaimEquals("tenant", "other").IsSatisfiedBy(s_session));
        Assert.True(SessionRequirement.ClaimEquals("auth_level", 2.0).IsSatisfiedBy(s_session));
        Assert.True(SessionRequirement.ClaimEquals("mfa", true).IsSatisfiedBy(s_session));
        Assert.False(SessionRequirement.ClaimEquals("mfa", "true").IsSatisfiedBy(s_session));
    }

    [Theory]
    [InlineData("auth_level", 2, true)]
    [InlineData("auth_level", 3, false)]
    [InlineData("score", 0.5, true)]
    [InlineData("tenant", 0, false)]
    [InlineData("missing", 0, false)]
    public void ClaimAtLeast_needs_a_number(string claim, double minimum, bool expected) =>
        Assert.Equal(expected, SessionRequirement.ClaimAtLeast(claim, minimum).IsSatisfiedBy(s_session));

    [Fact]
    public void FirstUnmet_names_the_failing_requirement()
    {
        var requirements = new[]
        {
            SessionRequirement.ClaimContains("role", "admin"),
            SessionRequirement.ClaimAtLeast("auth_level", 3),
            SessionRequirement.ClaimPresent("never-checked"),
        };

        var unmet = SessionRequirement.FirstUnmet(requirements, s_session);

        Assert.Equal("claim 'auth_level' is at least 3", unmet?.Description);
        Assert.Null(SessionRequirement.FirstUnmet(requirements.Take(1), s_session));
    }

    [Fact]
    public void Custom_requirements_run_their_predicate() =>
        Assert.True(SessionRequirement.Create("subject is known", s => s.Subject == TestTokens.Subject).IsSatisfiedBy(s_session));
}

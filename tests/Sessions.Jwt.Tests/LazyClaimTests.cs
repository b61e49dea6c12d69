namespace Sessions.Jwt.Tests;

public class LazyClaimTests
{
    [Fact]
    public void TryGetClaim_reads_one_claim_without_reading_the_others_and_agrees_with_Claims()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options());
        using var validator = new JwtSessionValidator(TestTokens.Options());
        var token = issuer.Issue("u", new SessionClaims { ["tenant"] = "acme", ["level"] = 3L, ["roles"] = new[] { "a", "b" } }).Token;

        var lazy = validator.Validate(token).Session!;
        Assert.True(lazy.TryGetClaim("level", out var level));
        Assert.Equal(3, level.AsInteger());
        Assert.False(lazy.TryGetClaim("sub", out _));
        Assert.False(lazy.TryGetClaim("absent", out _));

        var eager = validator.Validate(token).Session!;
        foreach (var (name, value) in eager.Claims)
        {
            Assert.True(lazy.TryGetClaim(name, out var found));
            Assert.Equal(value, found);
        }
    }
}

public class LazySessionIdTests
{
    [Theory]
    [InlineData("u")]
    [InlineData("uu")]
    [InlineData("uuu")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    public void Id_read_from_the_token_is_the_issued_id_wherever_it_falls_in_the_base64url_groups(string subject)
    {
        // Subjects of three lengths put the jti at each of the three byte offsets within a base64url group.
        using var issuer = new JwtSessionIssuer(TestTokens.Options());
        using var validator = new JwtSessionValidator(TestTokens.Options());
        var issued = issuer.Issue(subject);

        var session = validator.Validate(issued.Token).Session!;

        Assert.Equal(issued.SessionId.ToString("D"), session.Id);
        Assert.Same(session.Id, session.Id);
    }

    [Theory]
    [InlineData("\"a\"")]
    [InlineData("\"ab\"")]
    [InlineData("\"abc\"")]
    public void Id_read_from_a_token_we_did_not_issue_is_its_jti(string sub)
    {
        using var validator = new JwtSessionValidator(TestTokens.Options(), TestTokens.Clock());
        var token = TestTokens.Token(TestTokens.Claims(sub: sub));

        var session = validator.Validate(token).Session!;

        Assert.Equal(TestTokens.SessionId, session.Id);
    }
}

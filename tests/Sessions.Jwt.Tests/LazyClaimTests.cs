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

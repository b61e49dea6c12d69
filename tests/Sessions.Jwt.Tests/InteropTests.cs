using System.Security.Claims;
using System.Text;
using JWT.Algorithms;
using JWT.Builder;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Sessions.Jwt.Tests;

/// <summary>Our tokens verify with other JWT libraries, and theirs with us, given the same secret and claims.</summary>
public class InteropTests
{
    private static readonly byte[] s_key = Encoding.UTF8.GetBytes(TestTokens.Secret);

    [Fact]
    public void Jose_jwt_verifies_our_token()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options());
        var issued = issuer.Issue(TestTokens.Subject);

        var claims = Jose.JWT.Decode<Dictionary<string, object>>(issued.Token, s_key, Jose.JwsAlgorithm.HS256);

        Assert.Equal(TestTokens.Subject, claims["sub"].ToString());
        Assert.Equal(issued.SessionId.ToString(), claims["jti"].ToString());
        Assert.Equal("session-server", claims["iss"].ToString());
    }

    [Fact]
    public void Jwt_dotnet_verifies_our_token_including_expiry()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options());
        var issued = issuer.Issue(TestTokens.Subject);

        var json = new JwtBuilder()
            .WithAlgorithm(new HMACSHA256Algorithm())
            .WithSecret(s_key)
            .MustVerifySignature()
            .Decode(issued.Token);

        Assert.Contains(TestTokens.Subject, json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonWebTokenHandler_verifies_our_token_with_strict_parameters()
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options());
        var issued = issuer.Issue(TestTokens.Subject);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(issued.Token, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(s_key),
            ValidIssuer = "session-server",
            ValidAudience = "user",
            ValidAlgorithms = ["HS256"],
            RequireExpirationTime = true,
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(TestTokens.Subject, result.Claims["sub"]);
    }

    [Fact]
    public void We_accept_a_token_made_by_jose_jwt()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = Jose.JWT.Encode(
            new Dictionary<string, object>
            {
                ["iss"] = "session-server", ["aud"] = "user", ["sub"] = TestTokens.Subject, ["jti"] = TestTokens.SessionId,
                ["iat"] = now, ["nbf"] = now, ["exp"] = now + 600,
            },
            s_key,
            Jose.JwsAlgorithm.HS256);

        using var validator = new JwtSessionValidator(TestTokens.Options());
        var result = validator.Validate(token);

        Assert.True(result.IsValid, result.FailureReason.ToString());
        Assert.Equal(TestTokens.Subject, result.Session.Subject);
    }

    [Fact]
    public void We_accept_a_token_made_by_jwt_dotnet_with_custom_claims()
    {
        var now = DateTimeOffset.UtcNow;
        var token = new JwtBuilder()
            .WithAlgorithm(new HMACSHA256Algorithm())
            .WithSecret(s_key)
            .AddClaim("iss", "session-server")
            .AddClaim("aud", "user")
            .AddClaim("sub", TestTokens.Subject)
            .AddClaim("jti", TestTokens.SessionId)
            .AddClaim("iat", now.ToUnixTimeSeconds())
            .AddClaim("exp", now.AddMinutes(10).ToUnixTimeSeconds())
            .AddClaim("tenant", "acme")
            .AddClaim("roles", new[] { "admin", "dev" })
            .Encode();

        using var validator = new JwtSessionValidator(TestTokens.Options());
        var result = validator.Validate(token);

        Assert.True(result.IsValid, result.FailureReason.ToString());
        Assert.Equal("acme", result.Session.Claims["tenant"].AsString());
        Assert.Equal(["admin", "dev"], result.Session.Claims["roles"].AsStrings());
    }

    [Fact]
    public void We_accept_a_token_made_by_JsonWebTokenHandler()
    {
        var now = DateTime.UtcNow;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "session-server",
            Audience = "user",
            Subject = new ClaimsIdentity([new Claim("sub", TestTokens.Subject), new Claim("jti", TestTokens.SessionId)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(s_key), SecurityAlgorithms.HmacSha256),
        });

        using var validator = new JwtSessionValidator(TestTokens.Options());
        var result = validator.Validate(token);

        Assert.True(result.IsValid, result.FailureReason.ToString());
        Assert.Equal(TestTokens.SessionId, result.Session.Id);
    }

    [Fact]
    public void We_refuse_a_token_from_another_library_signed_with_another_secret()
    {
        var token = Jose.JWT.Encode(
            new Dictionary<string, object> { ["iss"] = "session-server", ["aud"] = "user", ["sub"] = "u", ["jti"] = "j", ["iat"] = 1, ["exp"] = 9_999_999_999 },
            Encoding.UTF8.GetBytes("a-different-secret-of-sufficient-length!"),
            Jose.JwsAlgorithm.HS256);

        using var validator = new JwtSessionValidator(TestTokens.Options());
        Assert.Equal(SessionFailureReason.BadSignature, validator.Validate(token).FailureReason);
    }
}

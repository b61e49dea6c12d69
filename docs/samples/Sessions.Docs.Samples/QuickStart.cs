using Sessions;
using Sessions.Jwt;

namespace DocsSamples;

/// <summary>README.md and the Sessions.Jwt package README: issue and validate in process.</summary>
public static class QuickStart
{
    public static SessionFailureReason IssueAndValidate()
    {
        // <readme-quick-start>
        var options = new JwtSessionOptions { Secret = Environment.GetEnvironmentVariable("JWT_SECRET") };
        using var issuer = new JwtSessionIssuer(options);
        using var validator = new JwtSessionValidator(options);

        IssuedSession issued = issuer.Issue("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        SessionValidationResult result = validator.Validate(issued.Token);
        if (!result.IsValid)
        {
            Console.WriteLine(result.FailureReason);   // Expired, BadSignature, WrongAudience, ...
        }
        else
        {
            Console.WriteLine($"valid: {result.Session!.Subject} until {result.Session.ExpiresAt:O}");
        }
        // </readme-quick-start>
        return result.FailureReason;
    }

    public static IssuedSession IssueWithClaims(JwtSessionIssuer issuer)
    {
        // <custom-claims>
        var claims = new SessionClaims
        {
            { "role", "admin" },
            { "tenant", 42L },
            { "scopes", new[] { "orders:read", "orders:write" } },
        };
        IssuedSession issued = issuer.Issue("3f2504e0-4f89-11d3-9a0c-0305e82c3301", claims);
        // </custom-claims>
        return issued;
    }
}

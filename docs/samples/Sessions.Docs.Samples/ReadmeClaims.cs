using Sessions;
using Sessions.Jwt;

namespace DocsSamples;

/// <summary>README.md: custom claims and requirements, in the Quick start's console project (no ASP.NET Core).</summary>
public static class ReadmeClaims
{
    public static SessionRequirement? Claims(JwtSessionIssuer issuer, JwtSessionValidator validator, string userId)
    {
        // <readme-custom-claims>
        var issued = issuer.Issue(userId, new SessionClaims
        {
            ["tenant"] = "acme",
            ["role"] = new[] { "admin", "dev" },
            ["auth_level"] = 2L,
            ["mfa"] = true,
        });

        Session session = validator.Validate(issued.Token).Session!;
        if (session.TryGetClaim("tenant", out var tenant))   // reads just this claim
        {
            Console.WriteLine(tenant.AsString());
        }
        // </readme-custom-claims>

        // <readme-requirements>
        var requirements = new[]
        {
            SessionRequirement.ClaimContains("role", "admin"),
            SessionRequirement.ClaimEquals("tenant", "acme"),
            SessionRequirement.ClaimAtLeast("auth_level", 2),
        };
        SessionRequirement? unmet = SessionRequirement.FirstUnmet(requirements, session);   // says which one failed
        // </readme-requirements>
        return unmet;
    }
}

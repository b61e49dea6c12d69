using Microsoft.AspNetCore.Authorization;
using Sessions;
using Sessions.Jwt;

namespace DocsSamples;

/// <summary>README.md: authentication in other services, custom claims and requirements.</summary>
public static class Readme
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

    public static WebApplication Policies(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <readme-requirement-policies>
        // As an ASP.NET Core policy (with AddAuthentication().AddSessionBearer()):
        builder.Services.AddAuthorization(o => o.AddPolicy("admins", policy => policy.RequireSession(
            SessionRequirement.ClaimContains("role", "admin"),
            SessionRequirement.ClaimAtLeast("auth_level", 2))));

        // Or per method with the interceptor:
        builder.Services.AddGrpc().AddSessionAuthentication(o => o.Require(
            "/projects.Projects/DeleteProject",
            SessionRequirement.ClaimContains("role", "admin")));
        // </readme-requirement-policies>
        return builder.Build();
    }
}

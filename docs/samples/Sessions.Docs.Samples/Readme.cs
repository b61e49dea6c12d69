using Microsoft.AspNetCore.Authorization;
using Sessions.Grpc;
using Sessions.Jwt;

namespace Sessions.Docs.Samples;

/// <summary>README.md: authentication in other services, custom claims and requirements.</summary>
public static class Readme
{
    public static WebApplication Authentication(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <readme-session-authentication>
        builder.Services.AddJwtSessionValidation(keys => keys.JwksUri = new("http://sessions:3124/.well-known/jwks.json"));
        builder.Services.AddGrpc().AddSessionAuthentication();                 // gRPC interceptor: context.GetSession()
        // or ASP.NET Core authentication, [Authorize(Roles = "admin")] with roles from the "role" claim:
        builder.Services.AddAuthentication(SessionAuthenticationDefaults.AuthenticationScheme).AddSessionBearer();
        // </readme-session-authentication>
        return builder.Build();
    }

    public static WebApplication JwtBearerAuthority(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <readme-jwtbearer-authority>
        builder.Services.AddAuthentication().AddJwtBearer(o =>
        {
            o.Authority = "http://sessions:3124";      // the session server's HTTP/1.1 address
            o.RequireHttpsMetadata = false;            // only without TLS
            o.Audience = "user";
            o.MapInboundClaims = false;                          // keep "sub", "jti" and "role" under their JWT names
            o.TokenValidationParameters.NameClaimType = "sub";   // User.Identity.Name is the session's subject
            o.TokenValidationParameters.RoleClaimType = "role";  // [Authorize(Roles = "admin")]
        });
        // </readme-jwtbearer-authority>
        return builder.Build();
    }

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

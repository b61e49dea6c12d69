using Microsoft.AspNetCore.Authorization;
using Sessions;

namespace DocsSamples;

/// <summary>README.md: requirements as authorization policies and per gRPC method.</summary>
public static class Readme
{
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

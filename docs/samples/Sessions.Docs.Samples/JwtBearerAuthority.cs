namespace DocsSamples;

/// <summary>README.md and docs/validating-in-other-services.md: stock JwtBearer against the published keys.</summary>
public static class JwtBearerAuthority
{
    public static WebApplication Build(string[] args)
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
}

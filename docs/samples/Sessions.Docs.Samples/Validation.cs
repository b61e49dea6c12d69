using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace DocsSamples;

/// <summary>docs/validating-in-other-services.md: stock JwtBearer with the shared HS256 secret, without Sessions.</summary>
public static class Validation
{
    public static WebApplication JwtBearer(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <validate-with-jwtbearer>
        // JWT_SECRET as the session server takes it: "base64:" followed by base64 (openssl rand -base64 32), or text.
        string secret = builder.Configuration["JWT_SECRET"]!;
        byte[] key = secret.StartsWith("base64:", StringComparison.Ordinal)
            ? Convert.FromBase64String(secret["base64:".Length..].Trim())
            : Encoding.UTF8.GetBytes(secret);

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;   // keep "sub", "jti" and custom claims under their own names
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = "session-server",
                    ValidAudience = "user",
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    IssuerSigningKey = new SymmetricSecurityKey(key),
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "sub",
                };
            });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/orders", (HttpContext http) => $"orders of {http.User.Identity!.Name}").RequireAuthorization();
        // </validate-with-jwtbearer>
        return app;
    }
}

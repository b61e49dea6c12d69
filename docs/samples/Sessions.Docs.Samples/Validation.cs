using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Sessions;

namespace DocsSamples;

/// <summary>docs/validating-in-other-services.md: checking sessions in a service that does not issue them.</summary>
public static class Validation
{
    public static WebApplication Jwks(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <validate-with-jwks>
        builder.Services.AddJwtSessionValidation(keys => keys.JwksUri = new Uri("http://sessions:3124/.well-known/jwks.json"));

        var app = builder.Build();
        app.MapGet("/orders", async (HttpRequest request, ISessionValidator sessions) =>
        {
            string header = request.Headers.Authorization.ToString();
            string? token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
            SessionValidationResult result = await sessions.ValidateAsync(token);
            return result.Session is { } session ? Results.Ok($"orders of {session.Subject}") : Results.Unauthorized();
        });
        // </validate-with-jwks>
        return app;
    }

    public static WebApplication JwtBearer(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <validate-with-jwtbearer>
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;   // keep "sub", "jti" and custom claims under their own names
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = "session-server",
                    ValidAudience = "user",
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(builder.Configuration["JWT_SECRET"]!)),
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

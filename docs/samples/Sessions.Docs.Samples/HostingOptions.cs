using Sessions;
using Sessions.Jwt;

namespace DocsSamples;

/// <summary>docs/configuration.md and docs/embedding.md: options in code, and issuing without gRPC.</summary>
public static class HostingOptions
{
    public static WebApplication InCode(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <host-options-in-code>
        builder.Services.AddSessions(o =>
        {
            o.Keys.Add(new JwtSessionKeyOptions { Id = "2026-11", Algorithm = "ES256", PemFile = "/run/secrets/sessions-es256.pem" });
            o.SigningKeyId = "2026-11";
            o.Lifetime = TimeSpan.FromHours(8);
            o.ClockSkew = TimeSpan.FromSeconds(10);
        });
        // </host-options-in-code>
        return builder.Build();
    }

    public static WebApplication IssueOnly(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <host-issuer-without-grpc>
        builder.Services.AddJwtSessions(o => o.Secret = builder.Configuration["JWT_SECRET"]);
        var app = builder.Build();
        app.MapPost("/login/{userId:guid}", async (Guid userId, ISessionIssuer sessions) =>
        {
            IssuedSession issued = await sessions.IssueAsync(userId.ToString());
            return Results.Ok(new { token = issued.Token, expiresAt = issued.ExpiresAt });
        });
        // </host-issuer-without-grpc>
        return app;
    }
}

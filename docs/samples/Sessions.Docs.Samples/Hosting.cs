using Sessions.Jwt;

namespace Sessions.Docs.Samples;

/// <summary>README.md, docs/embedding.md, docs/configuration.md: the sessions service in an ASP.NET Core host.</summary>
public static class Hosting
{
    public static void Minimal(string[] args)
    {
        // <host-minimal>
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSessions();   // binds the "Sessions" section: Sessions__Secret=... or appsettings.json
        var app = builder.Build();
        app.MapSessions();
        app.Run();
        // </host-minimal>
    }

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

    public static WebApplication Conventions(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthorization();
        builder.Services.AddSessions();
        var app = builder.Build();
        // <host-conventions>
        app.MapSessions().RequireAuthorization("internal-callers").RequireHost("*:3123");
        // </host-conventions>
        return app;
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

using Grpc.Core;
using Sessions.Grpc;
using Sessions.Grpc.Protocol;
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

    public static WebApplication PrivilegedCallsWithApiKey(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <host-privileged-api-key>
        builder.Services.AddAuthentication().AddSessionsApiKey(o => o.Key = builder.Configuration["SESSIONS_API_KEY"]);
        builder.Services.AddSessions().RequirePrivilegedPolicy(policy => policy
            .AddAuthenticationSchemes(SessionsApiKeyDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser());
        // </host-privileged-api-key>
        var app = builder.Build();
        app.MapSessions();
        return app;
    }

    public static WebApplication PrivilegedCallsWithJwtBearer(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <host-privileged-jwtbearer>
        builder.Services.AddAuthentication().AddJwtBearer("Operators", o =>
        {
            o.Authority = "https://login.example.com";     // your identity provider
            o.Audience = "sessions-admin";
        });
        builder.Services.AddAuthorization(o => o.AddPolicy("operators", policy => policy
            .AddAuthenticationSchemes("Operators")
            .RequireClaim("scope", "sessions.admin")));
        builder.Services.AddSessions().RequirePrivilegedPolicy("operators");
        // </host-privileged-jwtbearer>
        var app = builder.Build();
        app.MapSessions();
        return app;
    }

    public static async Task CallWithApiKeyAsync(Sessions.Grpc.Protocol.Sessions.SessionsClient client, string apiKey)
    {
        // <client-privileged-api-key>
        var headers = new Metadata { { SessionsApiKeyDefaults.MetadataKey, apiKey } };
        await client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301" }, headers);
        // </client-privileged-api-key>
    }
}

using Grpc.Core;
using Sessions.Grpc;
using Sessions.Grpc.Protocol;

namespace DocsSamples;

/// <summary>README.md, docs/embedding.md, docs/configuration.md: the sessions service in an ASP.NET Core host.</summary>
public static class Hosting
{
    public static WebApplication PrivilegedCallsWithServiceApiKey(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <host-privileged-service-api-key>
        builder.Services.AddSessions().RequireApiKey();   // the key of Sessions:ApiKey: Sessions__ApiKey in the environment
        // </host-privileged-service-api-key>
        var app = builder.Build();
        app.MapSessions();
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
        var headers = new Metadata { { SessionsMetadataKeys.ApiKey, apiKey } };
        await client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301" }, headers);
        // </client-privileged-api-key>
    }
}

namespace DocsSamples;

/// <summary>README.md, docs/embedding.md, the Sessions.Grpc README: the two lines, with only the implicit usings of a stock web app.</summary>
public static class HostingMinimal
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
}

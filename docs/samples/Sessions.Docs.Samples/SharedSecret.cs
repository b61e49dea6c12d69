namespace DocsSamples;

/// <summary>docs/validating-in-other-services.md: validating with the shared HS256 secret.</summary>
public static class SharedSecret
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <validate-with-shared-secret>
        builder.Services.AddJwtSessions(o => o.Secret = builder.Configuration["JWT_SECRET"]);
        // </validate-with-shared-secret>
        return builder.Build();
    }
}

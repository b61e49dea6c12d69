namespace DocsSamples;

/// <summary>docs/revocation-and-refresh.md and the Sessions.Redis README: the shared store.</summary>
public static class RedisStore
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <redis-store>
        builder.Services.AddSessions(builder.Configuration.GetSection("Sessions"))
            .AddRedisStore(o => o.Configuration = "redis:6379")
            .ConfigureStore(o => o.RefreshTokenLifetime = TimeSpan.FromDays(7));
        // </redis-store>
        return builder.Build();
    }
}

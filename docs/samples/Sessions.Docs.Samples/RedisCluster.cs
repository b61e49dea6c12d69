namespace DocsSamples;

/// <summary>docs/redis.md: the store from configuration, on a cluster set in code, and the session-events sink.</summary>
public static class RedisCluster
{
    public static WebApplication FromConfiguration(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <redis-store-from-configuration>
        builder.Services.AddSessions()         // binds Sessions (Sessions__Secret, ...) and Sessions:Store
            .AddRedisStore();                  // binds Sessions:Redis (Sessions__Redis__Configuration, ...)
        builder.Services.AddHealthChecks();    // runs the checks the packages register: sessions-keys, sessions-store
        // </redis-store-from-configuration>
        var app = builder.Build();
        app.MapSessions();
        app.MapHealthChecks("/healthz");
        return app;
    }

    public static WebApplication Cluster(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <redis-cluster-store>
        builder.Services.AddSessions(builder.Configuration.GetSection("Sessions"))
            .AddRedisStore(o =>
            {
                o.Configuration = "redis-0:6379,redis-1:6379,redis-2:6379,password=" + builder.Configuration["REDIS_PASSWORD"];
                o.ReplicaAcknowledgements = 1;                              // Revoke answers once a replica has it
                o.ReplicaAcknowledgementTimeout = TimeSpan.FromSeconds(1);
            });
        builder.Services.AddRedisSessionEventSink(o => o.Configuration = "redis-0:6379,redis-1:6379,redis-2:6379");
        // </redis-cluster-store>
        builder.Services.AddHealthChecks();
        var app = builder.Build();
        app.MapSessions();
        app.MapHealthChecks("/healthz");
        return app;
    }
}

using Sessions.Redis;

namespace DocsSamples;

/// <summary>docs/redis.md: the store on a cluster, its health check and the session-events sink.</summary>
public static class RedisCluster
{
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
        builder.Services.AddHealthChecks().AddCheck<RedisSessionStoreHealthCheck>("sessions-store");
        builder.Services.AddRedisSessionEventSink(o => o.Configuration = "redis-0:6379,redis-1:6379,redis-2:6379");
        // </redis-cluster-store>
        var app = builder.Build();
        app.MapSessions();
        app.MapHealthChecks("/healthz");
        return app;
    }
}

using Microsoft.Extensions.Caching.Memory;
using Sessions;
using Sessions.Redis;

namespace Sessions.Docs.Samples;

/// <summary>docs/redis.md: the store on a cluster, its health check, and the session-events stream.</summary>
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

    public static IHost Consumer(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        // <redis-session-events-consumer>
        builder.Services.AddMemoryCache();
        builder.Services.AddSessionEvents(
            o =>
            {
                o.Configuration = "redis:6379";
                o.ConsumerGroup = "orders-service";             // every group gets every event
                o.ConsumerName = Environment.MachineName;       // stable per instance
            },
            (services, sessionEvent, cancellationToken) =>
            {
                // At least once: acting twice on one EventId must be harmless (removing a cache entry is).
                if (sessionEvent.Kind is SessionEventKind.Revoked or SessionEventKind.ReuseDetected && sessionEvent.SessionId is { } sessionId)
                {
                    services.GetRequiredService<IMemoryCache>().Remove("session:" + sessionId);
                }

                return Task.CompletedTask;
            });
        // </redis-session-events-consumer>
        return builder.Build();
    }
}

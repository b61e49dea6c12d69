using Microsoft.Extensions.Caching.Memory;
using Sessions;

namespace DocsSamples;

/// <summary>docs/redis.md: a service that consumes the session events.</summary>
public static class RedisSessionEventsConsumer
{
    public static IHost Build(string[] args)
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

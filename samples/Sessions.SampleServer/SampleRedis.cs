using Sessions.Redis;

namespace Sessions.SampleServer;

/// <summary>
/// The store of refresh chains and revocations: Redis when <c>SESSIONS_REDIS</c> (or <c>Sessions:Redis:Configuration</c>)
/// is set, shared by every instance given the same one, with its options from <c>Sessions:Redis</c> and its health check
/// on <c>/healthz</c> and the gRPC health service; otherwise the in-memory store <c>AddSessions()</c> registers. With
/// <c>SESSIONS_EVENTS=redis</c>, the lifecycle's events go to a Redis Stream for other services
/// (<c>Sessions:Events</c>; on the Redis of <c>SESSIONS_REDIS</c> unless <c>Sessions:Events:Configuration</c> says).
/// </summary>
internal static class SampleRedis
{
    public static void Add(IServiceCollection services, IConfiguration configuration, SampleSettings settings)
    {
        if (settings.PublishesEvents)
        {
            var section = configuration.GetSection(RedisSessionEventsOptions.SectionName);
            var redis = configuration[SampleSettings.RedisSetting];
            services.AddRedisSessionEventSink(events =>
            {
                events.Configuration = redis ?? events.Configuration;
                section.Bind(events);
            });
        }

        if (settings.RedisEndpoints is null)
        {
            return;
        }

        services.AddSessions().AddRedisStore();
        // Registered after the store's own start, so that it sees the outcome of the first connection.
        services.AddHostedService<StartCheck>();
    }

    /// <summary>
    /// Stops start-up when Redis could not be read at start, with one line naming the setting: an instance that cannot
    /// read the revocations in force must not serve, and an operator sees the cause at once (a wrong address, Redis not
    /// started yet) rather than a server that refuses every session. Once started, outages are ridden out (known
    /// revocations stay in force) and reported by the health check.
    /// </summary>
    private sealed class StartCheck(RedisSessionStore store, SampleSettings settings, ILogger<StartCheck> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!store.IsCurrent)
            {
                // No inner exception: the one line must not carry the client's diagnostics (endpoints' state, a password).
                throw new InvalidOperationException(
                    $"{SampleSettings.RedisSetting} names Redis {settings.RedisEndpoints}, which cannot be reached or read: start Redis there, "
                    + "or set it to the host:port of a reachable primary (or a cluster's seed nodes) with its password=... and ssl=true if it needs them.");
            }

            SampleLog.UsingRedis(logger, settings.RedisEndpoints!, store.RevocationCount);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

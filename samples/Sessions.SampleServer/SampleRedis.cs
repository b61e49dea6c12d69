using Sessions.Internal;
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
                SettingsBinding.Bind<RedisSessionEventsOptions>(
                    () => section.Bind(events),
                    section,
                    nameof(RedisSessionEventsOptions.Retention),
                    nameof(RedisSessionEventsOptions.PollInterval),
                    nameof(RedisSessionEventsOptions.ClaimAfter));
            });
        }

        if (settings.RedisEndpoints is null)
        {
            return;
        }

        // An instance that cannot read the revocations in force must not serve, and an operator sees the cause at once
        // (a wrong address, Redis not started yet) rather than a server that refuses every session: the store's start
        // fails (StartupFailure names the setting in one line) instead of retrying in the background. Once started,
        // outages are ridden out (known revocations stay in force) and reported by the health check.
        services.AddSessions().AddRedisStore();
        services.Configure<RedisSessionStoreOptions>(static redis => redis.RequireAtStart = true);
        // Registered after the store's own start, so that it reports what the store read.
        services.AddHostedService<StartedLine>();
    }

    /// <summary>What the store read as it started, where an operator looks first.</summary>
    private sealed class StartedLine(RedisSessionStore store, SampleSettings settings, ILogger<StartedLine> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            SampleLog.UsingRedis(logger, settings.RedisEndpoints!, store.RevocationCount);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

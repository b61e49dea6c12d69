using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sessions;
using Sessions.Lifecycle;
using Sessions.Redis;
using Sessions.Redis.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the Redis session store: <c>services.AddRedisSessionStore(o =&gt; o.Configuration = "redis:6379")</c>, or
/// <c>AddSessions(...).AddRedisStore(...)</c> on the builder of the sessions service.
/// </summary>
public static class RedisSessionStoreServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="RedisSessionStore"/> the <see cref="ISessionStore"/> and <see cref="ISessionRevocationList"/>,
    /// in place of the in-memory store (whether that was registered before or after this call), and starts it with the
    /// host. Its options and the lifecycle's <see cref="SessionStoreOptions"/> are validated when the host starts.
    /// Calling it more than once adds each configuration in turn.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the Redis address and the other options.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddRedisSessionStore(this IServiceCollection services, Action<RedisSessionStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<RedisSessionStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisSessionStoreOptions>, RedisSessionStoreOptionsValidator>());
        services.ConfigureSessionStore(static _ => { });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static provider => new RedisSessionStore(
            provider.GetRequiredService<IOptions<RedisSessionStoreOptions>>(),
            provider.GetRequiredService<IOptionsMonitor<SessionStoreOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<RedisSessionStore>>() ?? NullLogger<RedisSessionStore>.Instance));
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(static provider => provider.GetRequiredService<RedisSessionStore>()));
        services.Replace(ServiceDescriptor.Singleton<ISessionRevocationList>(static provider => provider.GetRequiredService<RedisSessionStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisSessionStoreStarter>());
        return services;
    }

    /// <summary>
    /// Makes <see cref="RedisSessionStore"/> the store of the sessions service (see
    /// <see cref="AddRedisSessionStore(IServiceCollection, Action{RedisSessionStoreOptions})"/>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessions()</c>.</param>
    /// <param name="configure">Sets the Redis address and the other options.</param>
    /// <returns>The same builder.</returns>
    public static ISessionsBuilder AddRedisStore(this ISessionsBuilder builder, Action<RedisSessionStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRedisSessionStore(configure);
        return builder;
    }
}

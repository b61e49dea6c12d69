using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions;
using Sessions.Redis;
using Sessions.Redis.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the Redis session store: <c>builder.Services.AddSessions(...).AddRedisStore(o =&gt; o.Configuration = "redis:6379")</c>.
/// </summary>
public static class RedisSessionStoreServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="RedisSessionStore"/> the <see cref="ISessionStore"/> and <see cref="ISessionRevocationList"/>
    /// of the sessions service, in place of the in-memory store, and starts it with the host.
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

    /// <summary>
    /// Registers <see cref="RedisSessionStore"/> as the <see cref="ISessionStore"/> and <see cref="ISessionRevocationList"/>
    /// (replacing any other store), started with the host, with its options validated at start-up. For services that
    /// only validate, this alone gives their validator the shared revocations.
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
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static provider => new RedisSessionStore(
            provider.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<RedisSessionStore>>()));
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(static provider => provider.GetRequiredService<RedisSessionStore>()));
        services.Replace(ServiceDescriptor.Singleton<ISessionRevocationList>(static provider => provider.GetRequiredService<RedisSessionStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisSessionStoreStarter>());
        return services;
    }
}

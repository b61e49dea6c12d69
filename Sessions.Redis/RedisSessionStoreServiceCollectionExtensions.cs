using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sessions;
using Sessions.Internal;
using Sessions.Lifecycle;
using Sessions.Redis;
using Sessions.Redis.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the Redis session store: <c>AddSessions().AddRedisStore()</c> on the builder of the sessions service
/// (options from the <c>Sessions:Redis</c> configuration section), or <c>services.AddRedisSessionStore(...)</c> on any
/// service collection.
/// </summary>
public static class RedisSessionStoreServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="RedisSessionStore"/> the <see cref="ISessionStore"/> and <see cref="ISessionRevocationList"/>,
    /// in place of the in-memory store (whether that was registered before or after this call), starts it with the
    /// host, and adds its <see cref="RedisSessionStoreHealthCheck"/> to the health checks the host runs
    /// (<c>AddHealthChecks()</c>, <c>AddGrpcHealthChecks()</c>), named <see cref="RedisSessionStoreHealthCheck.Name"/> and
    /// tagged <see cref="RedisSessionStoreHealthCheck.Tag"/> and <see cref="RedisSessionStoreHealthCheck.ReadyTag"/>.
    /// The <see cref="RedisSessionStoreOptions"/> are bound from the host's <c>Sessions:Redis</c> configuration section
    /// (<see cref="RedisSessionStoreOptions.SectionName"/>; <c>Sessions__Redis__Configuration</c> in the environment,
    /// <c>"Sessions": {"Redis": {"Configuration": ...}}</c> in appsettings.json), as <c>AddJwtBearer()</c> binds its
    /// section; without that section every option keeps its default (Redis on <c>127.0.0.1:6379</c>). They and the
    /// lifecycle's <see cref="SessionStoreOptions"/> are validated when the host starts. Every registration is a
    /// <c>TryAdd</c>, so calling it more than once registers the store and its health check once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddRedisSessionStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        RedisServiceRegistration.AddValidatedOptions<RedisSessionStoreOptions, RedisSessionStoreOptionsValidator>(services);
        services.TryAddSingleton(static provider => new RedisSessionStoreConfigurationSource(
            provider.GetService<IConfiguration>()?.GetSection(RedisSessionStoreOptions.SectionName)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<RedisSessionStoreOptions>, RedisSessionStoreConfigurationSetup>());
        services.ConfigureSessionStore(static _ => { });
        services.TryAddSingleton(TimeProvider.System);
        ClosedGenericServices.AddLogger<RedisSessionStore>(services);
        services.TryAddSingleton(static provider => new RedisSessionStore(
            provider.GetRequiredService<IOptions<RedisSessionStoreOptions>>(),
            provider.GetRequiredService<IOptionsMonitor<SessionStoreOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            RedisServiceRegistration.Logger<RedisSessionStore>(provider))
        {
            StoreSettingPrefix = SettingNames.Prefix(provider.GetServices<SessionsConfigurationPath>(), typeof(SessionStoreOptions), defaultSection: null),
            SettingPrefix = SettingNames.Prefix(provider.GetServices<SessionsConfigurationPath>(), typeof(RedisSessionStoreOptions), RedisSessionStoreOptions.SectionName),
        });
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(static provider => provider.GetRequiredService<RedisSessionStore>()));
        services.Replace(ServiceDescriptor.Singleton<ISessionRevocationList>(static provider => provider.GetRequiredService<RedisSessionStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisSessionStoreStarter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HealthCheckServiceOptions>, RedisSessionStoreHealthCheckRegistration>());
        return services;
    }

    /// <summary>
    /// Registers the store as <see cref="AddRedisSessionStore(IServiceCollection)"/> does, with its options bound from
    /// <paramref name="configuration"/> instead of the <c>Sessions:Redis</c> section; errors name each setting under
    /// the section's path (registered as a <see cref="SessionsConfigurationPath"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding <c>Configuration</c>, <c>KeyPrefix</c>, <c>PollInterval</c>, ...</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddRedisSessionStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddRedisSessionStore();
        services.Replace(ServiceDescriptor.Singleton(new RedisSessionStoreConfigurationSource(configuration)));
        services.AddSingleton(new SessionsConfigurationPath(
            typeof(RedisSessionStoreOptions), configuration is IConfigurationSection section ? section.Path : string.Empty));
        return services;
    }

    /// <summary>
    /// Registers the store as <see cref="AddRedisSessionStore(IServiceCollection)"/> does, and sets its options in code,
    /// after the <c>Sessions:Redis</c> configuration section is bound. Calling it more than once applies each
    /// <paramref name="configure"/> in turn.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the Redis address and the other options.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddRedisSessionStore(this IServiceCollection services, Action<RedisSessionStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddRedisSessionStore();
        services.Configure(configure);
        return services;
    }

    /// <summary>
    /// Makes <see cref="RedisSessionStore"/> the store of the sessions service, with its options from the
    /// <c>Sessions:Redis</c> configuration section (see <see cref="AddRedisSessionStore(IServiceCollection)"/>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessions()</c>.</param>
    /// <returns>The same builder.</returns>
    public static ISessionsBuilder AddRedisStore(this ISessionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRedisSessionStore();
        return builder;
    }

    /// <summary>
    /// Makes <see cref="RedisSessionStore"/> the store of the sessions service, with its options bound from
    /// <paramref name="configuration"/> (see <see cref="AddRedisSessionStore(IServiceCollection, IConfiguration)"/>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessions()</c>.</param>
    /// <param name="configuration">The section holding <c>Configuration</c>, <c>KeyPrefix</c>, <c>PollInterval</c>, ...</param>
    /// <returns>The same builder.</returns>
    public static ISessionsBuilder AddRedisStore(this ISessionsBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRedisSessionStore(configuration);
        return builder;
    }

    /// <summary>
    /// Makes <see cref="RedisSessionStore"/> the store of the sessions service, with options set in code after the
    /// <c>Sessions:Redis</c> section is bound (see
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

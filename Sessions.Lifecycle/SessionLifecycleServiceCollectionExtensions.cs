using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sessions;
using Sessions.Internal;
using Sessions.Lifecycle;
using Sessions.Lifecycle.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the session lifecycle (<see cref="ISessionLifecycle"/>) and its embedded store.
/// </summary>
public static class SessionLifecycleServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SessionLifecycle"/> as the <see cref="ISessionLifecycle"/>, with <see cref="SessionStoreOptions"/>
    /// validated when the host starts, and the in-memory store unless another store is registered (before or after
    /// this call). It issues through the registered <see cref="ISessionIssuer"/> and reads tokens with the registered
    /// <see cref="ISessionValidator"/> (<c>AddJwtSessions()</c> registers both). Calling it more than once is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddSessionLifecycle(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddInMemorySessionStore();
        services.TryAddSingleton(static provider => new SessionLifecycle(
            provider.GetService<ISessionIssuer>() ?? throw Missing(nameof(ISessionIssuer)),
            provider.GetService<ISessionValidator>() ?? throw Missing(nameof(ISessionValidator)),
            provider.GetRequiredService<ISessionStore>(),
            provider.GetRequiredService<IOptionsMonitor<SessionStoreOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetServices<ISessionEventSink>(),
            provider.GetService<ILogger<SessionLifecycle>>() ?? NullLogger<SessionLifecycle>.Instance));
        services.TryAddSingleton<ISessionLifecycle>(static provider => provider.GetRequiredService<SessionLifecycle>());
        return services;
    }

    /// <summary>
    /// Adds <see cref="InMemorySessionStore"/> as the <see cref="ISessionStore"/> and <see cref="ISessionRevocationList"/>,
    /// unless a store is already registered. Right for one instance; what it holds is lost on restart. Calling it
    /// more than once is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddInMemorySessionStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddOptions(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static provider => new InMemorySessionStore(
            provider.GetRequiredService<IOptionsMonitor<SessionStoreOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<InMemorySessionStore>>() ?? NullLogger<InMemorySessionStore>.Instance));
        services.TryAddSingleton<ISessionStore>(static provider => provider.GetRequiredService<InMemorySessionStore>());
        services.TryAddSingleton<ISessionRevocationList>(static provider => provider.GetRequiredService<InMemorySessionStore>());
        return services;
    }

    /// <summary>Configures <see cref="SessionStoreOptions"/> (validated when the host starts).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection ConfigureSessionStore(this IServiceCollection services, Action<SessionStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(services);
        services.Configure(configure);
        return services;
    }

    private static void AddOptions(IServiceCollection services)
    {
        services.AddOptions<SessionStoreOptions>().ValidateOnStart();
        ClosedGenericServices.AddOptions<SessionStoreOptions>(services);
        ClosedGenericServices.AddLogger<SessionLifecycle>(services);
        ClosedGenericServices.AddLogger<InMemorySessionStore>(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionStoreOptions>, SessionStoreOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<SessionStoreOptions>, SessionStoreSettingNamesSetup>(
            static provider => new SessionStoreSettingNamesSetup(provider.GetServices<SessionsConfigurationPath>())));
    }

    private static InvalidOperationException Missing(string service) => new(
        $"The session lifecycle needs an {service}: call 'services.AddJwtSessions(...)' (or register your own) before resolving ISessionLifecycle.");
}

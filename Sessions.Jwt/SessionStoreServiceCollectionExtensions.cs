using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sessions;
using Sessions.Jwt;
using Sessions.Jwt.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers a session store: revocation and refresh tokens for <see cref="SessionManager"/> and the validator.
/// </summary>
public static class SessionStoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="InMemorySessionStore"/> as the <see cref="ISessionStore"/> and <see cref="ISessionRevocationList"/>,
    /// unless a store is already registered, and <see cref="SessionManager"/>. Right for one instance; revocations are
    /// lost on restart. Calling it more than once is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddInMemorySessionStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        SessionStoreRegistration.AddOptions(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static provider => new InMemorySessionStore(
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<IOptions<SessionStoreOptions>>().Value.PurgeInterval));
        services.TryAddSingleton<ISessionStore>(static provider => provider.GetRequiredService<InMemorySessionStore>());
        services.TryAddSingleton<ISessionRevocationList>(static provider => provider.GetRequiredService<InMemorySessionStore>());
        SessionStoreRegistration.AddSessionManager(services);
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
        SessionStoreRegistration.AddOptions(services);
        services.Configure(configure);
        return services;
    }
}

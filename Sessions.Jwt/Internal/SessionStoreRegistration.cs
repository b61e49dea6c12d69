using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Sessions.Jwt.Internal;

/// <summary>The registrations shared by <c>AddJwtSessions()</c>, <c>AddJwtSessionValidation()</c> and the stores.</summary>
internal static class SessionStoreRegistration
{
    public static void AddOptions(IServiceCollection services)
    {
        services.AddOptions<SessionStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionStoreOptions>, SessionStoreOptionsValidator>());
    }

    public static void AddSessionManager(IServiceCollection services)
    {
        AddOptions(services);
        services.TryAddSingleton(static provider => new SessionManager(
            provider.GetRequiredService<ISessionIssuer>(),
            provider.GetRequiredService<ISessionValidator>(),
            provider.GetService<ISessionStore>() ?? throw new InvalidOperationException(
                "No session store is registered. Call 'services.AddInMemorySessionStore()' (one instance) or 'AddRedisSessionStore(...)' (shared) before using refresh tokens or revocation."),
            provider.GetRequiredService<IOptionsMonitor<SessionStoreOptions>>(),
            provider.GetRequiredService<IOptionsMonitor<JwtSessionOptions>>(),
            provider.GetRequiredService<TimeProvider>()));
    }

    /// <summary>The validator, with the registered revocation list if there is one.</summary>
    public static JwtSessionValidator CreateValidator(IServiceProvider provider) => new(
        provider.GetRequiredService<IOptionsMonitor<JwtSessionOptions>>(),
        provider.GetRequiredService<ISessionKeySource>(),
        provider.GetRequiredService<TimeProvider>(),
        provider.GetService<ISessionRevocationList>(),
        provider.GetRequiredService<IOptions<SessionStoreOptions>>().Value.UnavailableBehavior);
}

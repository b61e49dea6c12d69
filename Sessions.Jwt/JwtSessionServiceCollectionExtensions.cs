using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sessions;
using Sessions.Internal;
using Sessions.Jwt;
using Sessions.Jwt.Internal;
using Sessions.Jwt.Internal.Health;
using Sessions.Jwt.Internal.Keys;
using Sessions.Jwt.Internal.Settings;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the JWT session issuer and validator.
/// </summary>
public static class JwtSessionServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="JwtSessionIssuer"/> and <see cref="JwtSessionValidator"/> as the <see cref="ISessionIssuer"/>
    /// and <see cref="ISessionValidator"/>, with <see cref="JwtSessionOptions"/> validated when the host starts.
    /// Configure the options with <c>services.Configure&lt;JwtSessionOptions&gt;(...)</c> or the overload below; when
    /// they are bound from a configuration that reloads, a reload to invalid values is not applied (the issuer and
    /// validator keep the last valid settings) and is logged as event 104 <c>SettingsNotApplied</c> at <c>Error</c>;
    /// when the keys change to a set in which no key can sign (only public keys), the issuer keeps signing with the key
    /// it had, logged as event 110 <c>SigningKeyKept</c> at <c>Error</c>, while the validator takes the new keys.
    /// Adds the health check <see cref="SessionHealthChecks.KeysName"/> (Unhealthy without a key that signs) to the
    /// host's health checks, if it has any (<c>AddHealthChecks()</c>). Calling it more than once is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddJwtSessions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddOptions(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OptionsSessionKeySource>(static provider => new OptionsSessionKeySource(provider.GetRequiredService<IOptionsMonitor<JwtSessionOptions>>()));
        services.TryAddSingleton<ISessionKeySource>(static provider => provider.GetRequiredService<OptionsSessionKeySource>());
        ClosedGenericServices.AddLogger<JwtSessionIssuer>(services);
        services.TryAddSingleton(static provider => new JwtSessionIssuer(
            provider.GetRequiredService<IOptionsMonitor<JwtSessionOptions>>(), provider.GetRequiredService<ISessionKeySource>(), provider.GetRequiredService<TimeProvider>(),
            provider.GetService<Microsoft.Extensions.Logging.ILogger<JwtSessionIssuer>>()));
        services.TryAddSingleton(CreateValidator);
        services.TryAddSingleton<ISessionIssuer>(static provider => provider.GetRequiredService<JwtSessionIssuer>());
        services.TryAddSingleton<ISessionValidator>(static provider => provider.GetRequiredService<JwtSessionValidator>());
        HealthCheckSetup<SessionKeysHealthCheck>.Register(services, SessionHealthChecks.KeysName, static provider => new SessionKeysHealthCheck(
            provider.GetRequiredService<ISessionKeySource>(), SettingNames.Prefix(provider.GetServices<SessionsConfigurationPath>(), typeof(JwtSessionOptions), defaultSection: null)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, SessionsWarmUp>());
        return services;
    }

    /// <summary>
    /// Adds the JWT session issuer and validator and configures their options.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; o.Secret = ...</c>.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddJwtSessions(this IServiceCollection services, Action<JwtSessionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return services.AddJwtSessions();
    }

    /// <summary>
    /// Takes the keys from <typeparamref name="TSource"/>, the host's own <see cref="ISessionKeySource"/> (keys kept in
    /// a vault or a database), instead of <see cref="JwtSessionOptions.Secret"/> and <see cref="JwtSessionOptions.Keys"/>:
    /// the options then need neither, and the other settings (issuer, audience, lifetime, limits) still come from them.
    /// Registered as a singleton made by dependency injection, in place of any <see cref="ISessionKeySource"/> registered
    /// before or after, so it can be called before or after <see cref="AddJwtSessions(IServiceCollection)"/> or
    /// <c>AddSessions()</c>. An issuer needs a key that can sign (<see cref="SessionKeySet.SigningKey"/>):
    /// <c>AddSessions()</c> stops start-up when the source's keys name none.
    /// </summary>
    /// <typeparam name="TSource">The key source; its dependencies come from the container.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddSessionKeySource<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSource>(this IServiceCollection services)
        where TSource : class, ISessionKeySource
    {
        ArgumentNullException.ThrowIfNull(services);
        return UseKeySource(services, ServiceDescriptor.Singleton<ISessionKeySource, TSource>());
    }

    /// <summary>
    /// Takes the keys from the <see cref="ISessionKeySource"/> that <paramref name="factory"/> makes, as
    /// <see cref="AddSessionKeySource{TSource}(IServiceCollection)"/> does.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="factory">Makes the key source, once; the container disposes it with the host if it is disposable.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddSessionKeySource(this IServiceCollection services, Func<IServiceProvider, ISessionKeySource> factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        return UseKeySource(services, ServiceDescriptor.Singleton(factory));
    }

    /// <summary>
    /// Adds a <see cref="JwtSessionValidator"/> for a service that only validates sessions, with the keys a session
    /// server publishes at its JWKS address (<see cref="JwksSessionKeySource"/>): no secret is needed, nothing is
    /// called per request, and the last good keys stay in use when the session server is down. Registers
    /// <see cref="ISessionValidator"/> but no issuer, and the health check <see cref="SessionHealthChecks.JwksName"/>
    /// (Healthy while fetches succeed on schedule, Degraded while they fail but the last good keys are in use, Unhealthy
    /// without any key) in the host's health checks, if it has any (<c>AddHealthChecks()</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configureKeys">Sets the JWKS address and refresh intervals.</param>
    /// <param name="configure">Sets the issuer and audience to require, and the clock skew (defaults as for issuing).</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddJwtSessionValidation(this IServiceCollection services, Action<JwksSessionKeySourceOptions> configureKeys, Action<JwtSessionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configureKeys);
        services.TryAddSingleton<ExternalKeySourceMarker>();
        services.AddOptions<JwksSessionKeySourceOptions>().Configure(configureKeys).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwksSessionKeySourceOptions>, JwksSessionKeySourceOptionsCheck>());
        ClosedGenericServices.AddOptions<JwksSessionKeySourceOptions>(services);
        ClosedGenericServices.AddLogger<JwksSessionKeySource>(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        AddOptions(services);
        services.TryAddSingleton(TimeProvider.System);
        // The key source holds its client for the host's life, so the factory's handler rotation is off and the
        // connections are renewed instead (DNS changes of the session server are seen within 5 minutes). A host gives
        // the fetch a proxy or a client certificate by configuring the same named client after this call. Each fetch is
        // bounded by FetchTimeout (up to 5 minutes), so the client's own 100 s timeout must not cut it shorter.
        services.AddHttpClient(JwksSessionKeySource.HttpClientName)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(static provider => new JwksSessionKeySource(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(JwksSessionKeySource.HttpClientName),
            provider.GetRequiredService<IOptionsMonitor<JwksSessionKeySourceOptions>>().CurrentValue,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<Microsoft.Extensions.Logging.ILogger<JwksSessionKeySource>>()));
        services.TryAddSingleton<ISessionKeySource>(static provider => provider.GetRequiredService<JwksSessionKeySource>());
        services.TryAddSingleton(CreateValidator);
        services.TryAddSingleton<ISessionValidator>(static provider => provider.GetRequiredService<JwtSessionValidator>());
        HealthCheckSetup<JwksHealthCheck>.Register(services, SessionHealthChecks.JwksName, static provider => new JwksHealthCheck(provider.GetRequiredService<JwksSessionKeySource>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, SessionsWarmUp>());
        return services;
    }

    private static IServiceCollection UseKeySource(IServiceCollection services, ServiceDescriptor source)
    {
        services.TryAddSingleton<ExternalKeySourceMarker>();
        services.RemoveAll<ISessionKeySource>();
        services.Add(source);
        return services;
    }

    // JwtSessionOptions, validated when the host starts, with errors that name each setting where the configuration
    // keeps it, and a line when a reload of them is not applied.
    private static void AddOptions(IServiceCollection services)
    {
        services.AddOptions<JwtSessionOptions>().ValidateOnStart();
        ClosedGenericServices.AddOptions<JwtSessionOptions>(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtSessionOptions>, JwtSessionOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JwtSessionOptions>, JwtSessionSettingNamesSetup>(CreateSettingNamesSetup));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<JwtSessionOptions>, JwtSessionSettingNamesSetup>(CreateSettingNamesSetup));
        ClosedGenericServices.AddLogger<JwtSessionOptionsReloadCheck>(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, JwtSessionOptionsReloadCheck>(
            static provider => new JwtSessionOptionsReloadCheck(provider, provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<JwtSessionOptionsReloadCheck>>())));
    }

    private static JwtSessionSettingNamesSetup CreateSettingNamesSetup(IServiceProvider provider) => new(
        provider.GetServices<SessionsConfigurationPath>(), provider.GetService<Microsoft.Extensions.Configuration.IConfiguration>());

    // The validator refuses revoked sessions when a revocation list (a session store) is registered, in any order.
    private static JwtSessionValidator CreateValidator(IServiceProvider provider) => new(
        provider.GetRequiredService<IOptionsMonitor<JwtSessionOptions>>(),
        provider.GetRequiredService<ISessionKeySource>(),
        provider.GetRequiredService<TimeProvider>(),
        provider.GetService<ISessionRevocationList>());
}

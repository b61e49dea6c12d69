using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions;
using Sessions.Grpc;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Hosting;
using Sessions.Grpc.Internal.Privileged;
using Sessions.Grpc.Internal.Requests;
using Sessions.Grpc.Internal.WellKnown;
using Sessions.Internal;
using Sessions.Jwt;
using Sessions.Lifecycle;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the sessions gRPC service to a host: <c>builder.Services.AddSessions(...)</c>, then <c>app.MapSessions()</c>.
/// </summary>
public static class SessionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds gRPC, the JWT session issuer and validator (<c>AddJwtSessions()</c>), the session lifecycle for refresh
    /// tokens and revocation (<c>AddSessionLifecycle()</c>) with the in-memory store unless another store is registered
    /// (use <c>AddRedisStore(...)</c> to share one between instances) and the sessions service, whose
    /// request size limit is <see cref="SessionsService.MaxReceiveMessageSize"/>; every gRPC service of the host then
    /// answers a broken frame header (a compressed flag other than 0 or 1, a length past 2^31 - 1) and compressed data
    /// that is not in its <c>grpc-encoding</c> with a status (<c>INVALID_ARGUMENT</c>, <c>RESOURCE_EXHAUSTED</c>)
    /// rather than grpc-dotnet's <c>UNKNOWN</c> and logged error. The
    /// <see cref="JwtSessionOptions"/> and <see cref="SessionsServiceOptions"/> are bound from the host's <c>Sessions</c> configuration section
    /// (<see cref="JwtSessionOptions.SectionName"/>; <c>Sessions__Secret</c> in the environment, <c>"Sessions":
    /// {"Secret": ...}</c> in appsettings.json), as <c>AddJwtBearer()</c> binds its section, and the lifecycle's
    /// <see cref="SessionStoreOptions"/> from its <c>Store</c> subsection (<c>Sessions:Store</c>,
    /// <c>Sessions__Store__RefreshTokenLifetime</c>), all reloaded when the section changes; options set in code (the
    /// other overloads, <c>services.Configure&lt;JwtSessionOptions&gt;(...)</c> after this call) apply after it. They
    /// are validated when the host starts (a key ring in which no key can sign included, or a host's own
    /// <see cref="ISessionKeySource"/> whose keys name no signing key: <c>Create</c> needs one); a
    /// reload to invalid values is not applied, and an error says why. Once the
    /// host listens, it warns when no endpoint serves HTTP/2 (which gRPC needs), naming
    /// <c>Kestrel:EndpointDefaults:Protocols</c>. Every registration is a <c>TryAdd</c>, so calling this more than once
    /// is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to configure the sessions service further.</returns>
    public static ISessionsBuilder AddSessions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGrpc();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<GrpcServiceOptions>, CheckedDecompressionSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Hosting.IStartupFilter, GrpcFrameHeaderCheckStartupFilter>());
        AddConfigurationBinding(services);
        services.AddJwtSessions();
        // A session server must be able to sign: keys that only validate are refused at start-up and on reload.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtSessionOptions>, SigningKeyCheck>(
            static provider => new SigningKeyCheck(provider.GetServices<SessionsConfigurationPath>())));
        services.AddSessionLifecycle();
        services.TryAddSingleton<SessionsMarkerService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, SessionsWarmUp>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, SigningKeySourceCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, Http2EndpointCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, UnknownSettingsCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, FallbackPolicyCheck>());
        services.TryAddSingleton<JwksDocumentProvider>();
        services.AddOptions<SessionsServiceOptions>().ValidateOnStart();
        ClosedGenericServices.AddOptions<SessionsServiceOptions>(services);
        ClosedGenericServices.AddLogger<SessionsService>(services);
        ClosedGenericServices.AddLogger<PrivilegedCallGate>(services);
        ClosedGenericServices.AddLogger<PrivilegedPolicyCheck>(services);
        ClosedGenericServices.AddLogger<Http2EndpointCheck>(services);
        ClosedGenericServices.AddLogger<UnknownSettingsCheck>(services);
        ClosedGenericServices.AddLogger<FallbackPolicyCheck>(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionsServiceOptions>, SessionsServiceOptionsValidator>(
            static provider => new SessionsServiceOptionsValidator(provider.GetServices<SessionsConfigurationPath>())));
        ClosedGenericServices.AddLogger<SessionsServiceSettings>(services);
        services.TryAddSingleton(static provider => new SessionsServiceSettings(provider, provider.GetRequiredService<ILogger<SessionsServiceSettings>>()));
        services.TryAddSingleton(static provider => new PrivilegedCallGate(
            provider.GetRequiredService<SessionsServiceSettings>(),
            provider.GetRequiredService<ILogger<PrivilegedCallGate>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, PrivilegedPolicyCheck>());
        services.AddMetrics();
        services.TryAddSingleton(static provider => new SessionsTelemetry(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(static provider => new UnreadableRequests(provider.GetRequiredService<ILogger<SessionsService>>(), provider.GetRequiredService<SessionsTelemetry>()));
        var builder = new SessionsBuilder(services);
        // One instance for every call: the service holds nothing per call, and gRPC's activator would otherwise build
        // it and resolve its dependencies on each one. (A derived service mapped with MapSessions<TService>() is
        // still made per call unless the host registers it.)
        services.TryAddSingleton(static provider => new SessionsServiceDependencies(
            provider.GetRequiredService<ISessionIssuer>(),
            provider.GetRequiredService<ISessionValidator>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<SessionsService>>(),
            provider.GetRequiredService<SessionsTelemetry>(),
            provider.GetService<ISessionLifecycle>())
        {
            PrivilegedCalls = provider.GetRequiredService<PrivilegedCallGate>(),
        });
        services.TryAddSingleton(static provider => new SessionsService(provider.GetRequiredService<SessionsServiceDependencies>()));
        builder.AddService<SessionsService>();
        return builder;
    }

    /// <summary>
    /// Adds the sessions service as <see cref="AddSessions(IServiceCollection)"/> does, and configures its
    /// <see cref="JwtSessionOptions"/> in code, after the <c>Sessions</c> configuration section is bound.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, for example <c>o =&gt; o.Secret = secret</c>.</param>
    /// <returns>A builder to configure the sessions service further.</returns>
    public static ISessionsBuilder AddSessions(this IServiceCollection services, Action<JwtSessionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddSessions();
        services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Adds the sessions service as <see cref="AddSessions(IServiceCollection)"/> does, and binds its
    /// <see cref="JwtSessionOptions"/> and <see cref="SessionsServiceOptions"/> from <paramref name="configuration"/>, typically
    /// a section other than <c>Sessions</c>: it is bound instead of the <c>Sessions</c> section, before options set
    /// in code; its <c>Store</c> subsection gives the <see cref="SessionStoreOptions"/>. Errors name each setting under
    /// the section's path (<c>Auth:Sessions:Secret</c>; registered as <see cref="SessionsConfigurationPath"/>s).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section holding <c>Secret</c>, <c>Issuer</c>, <c>Lifetime</c>, <c>PublicBaseUrl</c>, ...</param>
    /// <returns>A builder to configure the sessions service further.</returns>
    public static ISessionsBuilder AddSessions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddSessions();
        services.Replace(ServiceDescriptor.Singleton(new SessionsConfigurationSource(configuration)));

        // Errors then name each setting where this configuration keeps it (Auth:Sessions:Secret), not under Sessions.
        var path = configuration is IConfigurationSection section ? section.Path : string.Empty;
        services.AddSingleton(new SessionsConfigurationPath(typeof(JwtSessionOptions), path));
        services.AddSingleton(new SessionsConfigurationPath(typeof(SessionsServiceOptions), path));
        services.AddSingleton(new SessionsConfigurationPath(typeof(SessionStoreOptions), SettingNames.Of(path) + SessionStoreConfigurationSetup.SubsectionName));
        return builder;
    }

    private static void AddConfigurationBinding(IServiceCollection services)
    {
        // Errors name the settings under the Sessions section it binds, unless AddSessions(configuration) registers
        // another path (after this, so it wins) or one is registered already.
        AddDefaultPath(services, typeof(JwtSessionOptions), JwtSessionOptions.SectionName);
        AddDefaultPath(services, typeof(SessionsServiceOptions), JwtSessionOptions.SectionName);
        AddDefaultPath(services, typeof(SessionStoreOptions), SessionStoreOptions.SectionName);
        // Without an IConfiguration (a bare service collection) there is nothing to bind.
        services.TryAddSingleton(static provider => new SessionsConfigurationSource(
            (IConfiguration?)provider.GetService<IConfiguration>()?.GetSection(JwtSessionOptions.SectionName) ?? new ConfigurationBuilder().Build()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JwtSessionOptions>, SessionsConfigurationSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<SessionStoreOptions>, SessionStoreConfigurationSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<SessionsServiceOptions>, SessionsConfigurationSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsChangeTokenSource<JwtSessionOptions>, ConfigurationChangeTokenSource<JwtSessionOptions>>(
            static provider => new ConfigurationChangeTokenSource<JwtSessionOptions>(provider.GetRequiredService<SessionsConfigurationSource>().Section)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsChangeTokenSource<SessionsServiceOptions>, ConfigurationChangeTokenSource<SessionsServiceOptions>>(
            static provider => new ConfigurationChangeTokenSource<SessionsServiceOptions>(provider.GetRequiredService<SessionsConfigurationSource>().Section)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsChangeTokenSource<SessionStoreOptions>, ConfigurationChangeTokenSource<SessionStoreOptions>>(
            static provider => new ConfigurationChangeTokenSource<SessionStoreOptions>(provider.GetRequiredService<SessionsConfigurationSource>().Section.GetSection(SessionStoreConfigurationSetup.SubsectionName))));
    }

    private static void AddDefaultPath(IServiceCollection services, Type optionsType, string path)
    {
        if (!services.Any(service => service.ImplementationInstance is SessionsConfigurationPath registered && registered.OptionsType == optionsType))
        {
            services.AddSingleton(new SessionsConfigurationPath(optionsType, path));
        }
    }

    /// <summary>
    /// Configures refresh tokens and revocation: <see cref="SessionStoreOptions"/>, validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessions()</c>.</param>
    /// <param name="configure">Sets the options, for example <c>o =&gt; o.AbsoluteLifetime = TimeSpan.FromDays(7)</c>.</param>
    /// <returns>The same builder.</returns>
    public static ISessionsBuilder ConfigureStore(this ISessionsBuilder builder, Action<SessionStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.ConfigureSessionStore(configure);
        return builder;
    }

    /// <summary>
    /// Prepares a class derived from <see cref="SessionsService"/> to be mapped with <c>MapSessions&lt;TService&gt;()</c>:
    /// gives it the same request size limit as the base service. Harmless to call more than once.
    /// </summary>
    /// <typeparam name="TService">The derived service.</typeparam>
    /// <param name="builder">The builder returned by <c>AddSessions()</c>.</param>
    /// <returns>The same builder.</returns>
    public static ISessionsBuilder AddService<TService>(this ISessionsBuilder builder)
        where TService : SessionsService
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IConfigureOptions<GrpcServiceOptions<TService>>, SessionsGrpcServiceOptionsSetup<TService>>());
        ClosedGenericServices.AddOptions<GrpcServiceOptions<TService>>(builder.Services);
        return builder;
    }
}

using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sessions.Grpc;
using Sessions.Grpc.Internal;
using Sessions.Jwt;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the sessions gRPC service to a host: <c>builder.Services.AddSessions(...)</c>, then <c>app.MapSessions()</c>.
/// </summary>
public static class SessionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds gRPC, the JWT session issuer and validator (<c>AddJwtSessions()</c>), the in-memory session store for
    /// refresh tokens and revocation unless another store is registered (<c>AddInMemorySessionStore()</c>; use
    /// <c>AddRedisStore(...)</c> to share one between instances) and the sessions service, whose
    /// request size limit is <see cref="SessionsService.MaxReceiveMessageSize"/>. Options come from
    /// <c>services.Configure&lt;JwtSessionOptions&gt;(...)</c> or the other overloads and are validated when the host
    /// starts. Every registration is a <c>TryAdd</c>, so calling this more than once is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to configure the sessions service further.</returns>
    public static ISessionsBuilder AddSessions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGrpc();
        services.AddJwtSessions();
        services.AddInMemorySessionStore();
        services.TryAddSingleton<SessionsMarkerService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, SessionsWarmUp>());
        services.TryAddSingleton<JwksDocumentProvider>();
        services.AddOptions<SessionsServiceOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionsServiceOptions>, SessionsServiceOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(static provider => new SessionsTelemetry(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        var builder = new SessionsBuilder(services);
        builder.AddService<SessionsService>();
        return builder;
    }

    /// <summary>
    /// Adds the sessions service as <see cref="AddSessions(IServiceCollection)"/> does, and configures its
    /// <see cref="JwtSessionOptions"/> in code.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, for example <c>o =&gt; o.Secret = secret</c>.</param>
    /// <returns>A builder to configure the sessions service further.</returns>
    public static ISessionsBuilder AddSessions(this IServiceCollection services, Action<JwtSessionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return services.AddSessions();
    }

    /// <summary>
    /// Adds the sessions service as <see cref="AddSessions(IServiceCollection)"/> does, and binds its
    /// <see cref="JwtSessionOptions"/> and <see cref="SessionsServiceOptions"/> from <paramref name="configuration"/>, typically
    /// <c>builder.Configuration.GetSection(JwtSessionOptions.SectionName)</c> (the <c>Sessions</c> section).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section holding <c>Secret</c>, <c>Issuer</c>, <c>Lifetime</c>, <c>PublicBaseUrl</c>, ...</param>
    /// <returns>A builder to configure the sessions service further.</returns>
    public static ISessionsBuilder AddSessions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<JwtSessionOptions>().Bind(configuration);
        services.AddOptions<SessionsServiceOptions>().Bind(configuration);
        return services.AddSessions();
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
        return builder;
    }
}

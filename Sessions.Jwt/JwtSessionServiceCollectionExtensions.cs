using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sessions;
using Sessions.Jwt;
using Sessions.Jwt.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the JWT session issuer and validator.
/// </summary>
public static class JwtSessionServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="JwtSessionIssuer"/> and <see cref="JwtSessionValidator"/> as the <see cref="ISessionIssuer"/>
    /// and <see cref="ISessionValidator"/>, with <see cref="JwtSessionOptions"/> validated when the host starts.
    /// Configure the options with <c>services.Configure&lt;JwtSessionOptions&gt;(...)</c> or the overload below.
    /// Calling it more than once is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection, for chaining.</returns>
    public static IServiceCollection AddJwtSessions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<JwtSessionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtSessionOptions>, JwtSessionOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JwtSessionIssuer>();
        services.TryAddSingleton<JwtSessionValidator>();
        services.TryAddSingleton<ISessionIssuer>(static provider => provider.GetRequiredService<JwtSessionIssuer>());
        services.TryAddSingleton<ISessionValidator>(static provider => provider.GetRequiredService<JwtSessionValidator>());
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
}

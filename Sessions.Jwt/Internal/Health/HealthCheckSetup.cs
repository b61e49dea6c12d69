using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Sessions.Jwt.Internal.Health;

/// <summary>
/// Adds one sessions health check to the host's health checks, once however often it is registered: the
/// registration is a <c>TryAddEnumerable</c> of this type, and the check is added only if no check of its name is.
/// The host decides whether to run health checks at all (<c>AddHealthChecks()</c>, <c>AddGrpcHealthChecks()</c>);
/// without that, this is never asked.
/// </summary>
/// <typeparam name="TCheck">The check.</typeparam>
internal sealed class HealthCheckSetup<TCheck>(string name, Func<IServiceProvider, TCheck> create) : IConfigureOptions<HealthCheckServiceOptions>
    where TCheck : class, IHealthCheck
{
    public void Configure(HealthCheckServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Registrations.Any(registration => string.Equals(registration.Name, name, StringComparison.Ordinal)))
        {
            options.Registrations.Add(new HealthCheckRegistration(name, create, failureStatus: null, tags: [SessionHealthChecks.Tag, SessionHealthChecks.ReadyTag]));
        }
    }

    /// <summary>Registers the check named <paramref name="name"/>; a second call does nothing.</summary>
    public static void Register(IServiceCollection services, string name, Func<IServiceProvider, TCheck> create) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HealthCheckServiceOptions>>(new HealthCheckSetup<TCheck>(name, create)));
}

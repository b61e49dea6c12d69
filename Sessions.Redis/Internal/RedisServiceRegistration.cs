using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sessions.Internal;

namespace Sessions.Redis.Internal;

/// <summary>What the store's and the session events' registrations share.</summary>
internal static class RedisServiceRegistration
{
    /// <summary>Options validated by <typeparamref name="TValidator"/> when the host starts (registered once).</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(IServiceCollection services)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        ClosedGenericServices.AddOptions<TOptions>(services);
        return services.AddOptions<TOptions>().ValidateOnStart();
    }

    /// <summary>The host's logger of <typeparamref name="T"/>, or none in a service collection without logging.</summary>
    public static ILogger<T> Logger<T>(IServiceProvider provider) => provider.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;
}

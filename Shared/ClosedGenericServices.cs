using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Sessions.Internal;

/// <summary>
/// Closed registrations of the options and logger services a package resolves for its own types, beside the open
/// generic ones of <c>AddOptions()</c> and <c>AddLogging()</c>, which they mirror: the same implementations, made the
/// same way, with the same lifetimes. Each is a <c>TryAdd</c>, so a registration the host makes first wins.
/// </summary>
/// <remarks>
/// The container makes the service of an open generic registration with <c>MakeGenericType</c>. Native AOT compiles
/// only the instantiations it sees in the program, so the runtime's type loader builds each such type the first time it
/// is resolved, which is before the first call is answered: about 1.4 million instructions apiece, some 0.7 ms here
/// (benchmarks/load/instructions.py, counted from process start). Named here, they are compiled ahead of time. Linked
/// into each package that needs it (Shared/ at the repository root).
/// </remarks>
internal static class ClosedGenericServices
{
    /// <summary>
    /// <c>IOptionsMonitor&lt;TOptions&gt;</c>, <c>IOptionsMonitorCache&lt;TOptions&gt;</c> and
    /// <c>IOptionsFactory&lt;TOptions&gt;</c> (the last transient, as <c>AddOptions()</c> has it).
    /// </summary>
    public static void AddOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceCollection services)
        where TOptions : class
    {
        services.TryAddSingleton<IOptionsMonitor<TOptions>>(static provider => new OptionsMonitor<TOptions>(
            provider.GetRequiredService<IOptionsFactory<TOptions>>(),
            provider.GetServices<IOptionsChangeTokenSource<TOptions>>(),
            provider.GetRequiredService<IOptionsMonitorCache<TOptions>>()));
        services.TryAddSingleton<IOptionsMonitorCache<TOptions>>(static _ => new OptionsCache<TOptions>());
        services.TryAddTransient<IOptionsFactory<TOptions>>(static provider => new OptionsFactory<TOptions>(
            provider.GetServices<IConfigureOptions<TOptions>>(),
            provider.GetServices<IPostConfigureOptions<TOptions>>(),
            provider.GetServices<IValidateOptions<TOptions>>()));
    }

    /// <summary>
    /// <c>ILogger&lt;TCategory&gt;</c>: a <see cref="Logger{T}"/> of the host's logger factory, or the null logger in a
    /// container without logging (where the open generic one could not be made at all).
    /// </summary>
    public static void AddLogger<TCategory>(IServiceCollection services) =>
        services.TryAddSingleton<ILogger<TCategory>>(static provider => provider.GetService<ILoggerFactory>() is { } factory
            ? new Logger<TCategory>(factory)
            : NullLogger<TCategory>.Instance);
}

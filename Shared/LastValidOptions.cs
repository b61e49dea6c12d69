using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Sessions.Internal;

/// <summary>
/// The options of a monitor as they last were valid, for code that reads them on every call. A reload of the
/// configuration to invalid values is not applied: <see cref="IOptionsMonitor{TOptions}.CurrentValue"/> would throw
/// on every call from then on (each one a failed call), while the monitor only tells its listeners of values that
/// passed validation, so the last valid ones stay in force here until the configuration is fixed. Linked into each
/// package that needs it (Shared/ at the repository root).
/// </summary>
/// <typeparam name="TOptions">The options.</typeparam>
internal sealed class LastValidOptions<TOptions> : IDisposable
    where TOptions : class
{
    private readonly IDisposable? _subscription;
    private TOptions _current;

    /// <summary>Starts from the monitor's current value, validated when the host started.</summary>
    public LastValidOptions(IOptionsMonitor<TOptions> monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        _current = monitor.CurrentValue;
        _subscription = monitor.OnChange((value, name) =>
        {
            if (name is null || name == Options.DefaultName)
            {
                Volatile.Write(ref _current, value);
            }
        });
    }

    /// <summary>The options in force.</summary>
    public TOptions Current => Volatile.Read(ref _current);

    /// <summary>
    /// Reads the options in force for the life of the caller (a singleton's constructor: the subscription is never
    /// disposed).
    /// </summary>
    /// <param name="monitor">The monitor.</param>
    /// <param name="paramName">The caller's name of <paramref name="monitor"/>, for the exception when it is null.</param>
    public static Func<TOptions> Reader(IOptionsMonitor<TOptions> monitor, [CallerArgumentExpression(nameof(monitor))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(monitor, paramName);
        var valid = new LastValidOptions<TOptions>(monitor);
        return () => valid.Current;
    }

    public void Dispose() => _subscription?.Dispose();
}

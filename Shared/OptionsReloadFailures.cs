using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Sessions.Internal;

/// <summary>
/// Says why a reload of options was not applied. When a configuration reload makes options invalid, the options
/// monitor keeps the last valid value, tells its listeners nothing and throws only to whoever raised the reload (a file
/// watcher's thread): without this, an operator who broke a setting in appsettings.json would never learn that it did
/// not take effect. Each package watches the options it owns. Linked into each package that needs it (Shared/ at the
/// repository root).
/// </summary>
internal sealed class OptionsReloadFailures(IServiceProvider services, Action<string> report) : IDisposable
{
    private readonly List<IDisposable> _subscriptions = [];

    /// <summary>
    /// From now on, after each reload of <typeparamref name="TOptions"/>' configuration (its change token sources),
    /// builds them afresh as the monitor does and reports the validators' message when they fail, or the type of any
    /// other exception that building them throws.
    /// </summary>
    public void Watch<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>()
        where TOptions : class
    {
        var factory = services.GetRequiredService<IOptionsFactory<TOptions>>();
        foreach (var source in services.GetServices<IOptionsChangeTokenSource<TOptions>>())
        {
            if (source.Name is null || source.Name == Options.DefaultName)
            {
                _subscriptions.Add(ChangeToken.OnChange(source.GetChangeToken, () => SayWhyNotApplied(factory)));
            }
        }
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private void SayWhyNotApplied<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IOptionsFactory<TOptions> factory)
        where TOptions : class
    {
        try
        {
            // Built afresh, as the monitor builds them, only to learn whether they pass.
            _ = factory.Create(Options.DefaultName);
        }
        catch (OptionsValidationException invalid)
        {
            // The validators' messages name the setting and never hold a key or a secret. Each is a sentence of its own:
            // joined with spaces, not with the "; " of the exception's message, which reads ".;" after each full stop.
            report(string.Join(' ', invalid.Failures));
        }
#pragma warning disable CA1031 // Observed only: the options monitor throws the same exception to whoever raised the reload.
        catch (Exception other)
#pragma warning restore CA1031
        {
            // Anything else a step of the options throws (a host's own Configure, a binder error of another kind) left
            // the reload unapplied without a line. Its message is left out: it may repeat a value, a key's among them.
            report($"building {typeof(TOptions).Name} from the reloaded configuration failed with {other.GetType().Name} (its message is not logged, as it may hold a value of the settings); " +
                "check the settings changed since the last reload.");
        }
    }
}

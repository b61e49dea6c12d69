using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Sessions.Internal;

namespace Sessions.Grpc.Internal;

/// <summary>
/// The <see cref="SessionsServiceOptions"/> in force, for the code that reads them on every call (the privileged-call
/// gate, the discovery document): the last valid ones (<see cref="LastValidOptions{TOptions}"/>). A reload of the
/// configuration to invalid settings (a key that is too short, an empty policy name) is not applied, and an error says
/// why, where <see cref="IOptionsMonitor{TOptions}.CurrentValue"/> would throw on every call from then on, each one an
/// <c>Internal</c> error, <c>Validate</c> included. Made when the host starts (<see cref="PrivilegedPolicyCheck"/>), so
/// that it follows every reload.
/// </summary>
internal sealed class SessionsServiceSettings : IDisposable
{
    private readonly LastValidOptions<SessionsServiceOptions> _valid;
    private readonly IOptionsFactory<SessionsServiceOptions> _factory;
    private readonly ILogger<SessionsServiceSettings> _logger;
    private readonly List<IDisposable> _subscriptions = [];

    public SessionsServiceSettings(
        IOptionsMonitor<SessionsServiceOptions> monitor,
        IOptionsFactory<SessionsServiceOptions> factory,
        IEnumerable<IOptionsChangeTokenSource<SessionsServiceOptions>> sources,
        ILogger<SessionsServiceSettings> logger)
    {
        _valid = new LastValidOptions<SessionsServiceOptions>(monitor);
        _factory = factory;
        _logger = logger;
        foreach (var source in sources)
        {
            if (source.Name is null || source.Name == Options.DefaultName)
            {
                _subscriptions.Add(ChangeToken.OnChange(source.GetChangeToken, SayWhyNotApplied));
            }
        }
    }

    /// <summary>The settings in force: the last valid ones.</summary>
    public SessionsServiceOptions Current => _valid.Current;

    public void Dispose()
    {
        _valid.Dispose();
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private void SayWhyNotApplied()
    {
        try
        {
            // Built afresh, as the monitor builds them, only to learn whether they pass.
            _ = _factory.Create(Options.DefaultName);
        }
        catch (OptionsValidationException invalid)
        {
            // The validators' messages name the setting and never hold a key or a secret.
            HostingLog.SettingsNotApplied(_logger, invalid.Message);
        }
    }
}

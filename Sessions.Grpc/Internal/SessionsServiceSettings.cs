using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Sessions.Internal;
using Sessions.Jwt;
using Sessions.Lifecycle;

namespace Sessions.Grpc.Internal;

/// <summary>
/// The settings of the <c>Sessions</c> section in force, for the code that reads them on every call (the
/// privileged-call gate, the discovery document): the last valid <see cref="SessionsServiceOptions"/> and
/// <see cref="JwtSessionOptions"/> (<see cref="LastValidOptions{TOptions}"/>); of <see cref="SessionStoreOptions"/> it
/// only watches the reloads. A reload of the configuration to invalid
/// settings (a key that is too short, an empty policy name, a lifetime of zero) is not applied, and an error says why,
/// where <see cref="IOptionsMonitor{TOptions}.CurrentValue"/> would throw on every call from then on, each one an
/// <c>Internal</c> error, <c>Validate</c> included. (The token issuer and validator keep their last valid settings
/// themselves.) Made when the host starts (<see cref="PrivilegedPolicyCheck"/>), so that it follows every reload.
/// </summary>
internal sealed class SessionsServiceSettings : IDisposable
{
    private readonly LastValidOptions<SessionsServiceOptions> _service;
    private readonly LastValidOptions<JwtSessionOptions> _tokens;
    private readonly ILogger<SessionsServiceSettings> _logger;
    private readonly List<IDisposable> _subscriptions = [];

    public SessionsServiceSettings(IServiceProvider services, ILogger<SessionsServiceSettings> logger)
    {
        _logger = logger;
        _service = Follow<SessionsServiceOptions>(services);
        _tokens = Follow<JwtSessionOptions>(services);

        // The lifecycle and the stores keep their last valid options themselves; this only says why a reload was not applied.
        Watch<SessionStoreOptions>(services);
    }

    /// <summary>The service's settings in force: the last valid ones.</summary>
    public SessionsServiceOptions Current => _service.Current;

    /// <summary>The <c>iss</c> of the tokens issued now (<see cref="JwtSessionOptions.Issuer"/>, the last valid one).</summary>
    public string TokenIssuer => _tokens.Current.Issuer;

    public void Dispose()
    {
        _service.Dispose();
        _tokens.Dispose();
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private LastValidOptions<TOptions> Follow<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceProvider services)
        where TOptions : class
    {
        Watch<TOptions>(services);
        return new LastValidOptions<TOptions>(services.GetRequiredService<IOptionsMonitor<TOptions>>());
    }

    private void Watch<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceProvider services)
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
            // The validators' messages name the setting and never hold a key or a secret.
            HostingLog.SettingsNotApplied(_logger, invalid.Message);
        }
    }
}

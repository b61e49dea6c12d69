using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Grpc.Internal.Privileged;
using Sessions.Internal;
using Sessions.Jwt;
using Sessions.Lifecycle;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// The settings of the <c>Sessions</c> section in force, for the code that reads them on every call (the
/// privileged-call gate, the discovery document): the last valid <see cref="SessionsServiceOptions"/> and
/// <see cref="JwtSessionOptions"/> (<see cref="LastValidOptions{TOptions}"/>); of <see cref="SessionStoreOptions"/> it
/// only watches the reloads. A reload of the configuration to invalid
/// settings (a key that is too short, an empty policy name, a lifetime of zero) is not applied, and an error says why
/// (event 22 <c>SettingsNotApplied</c> here for the service's and the store's settings, Sessions.Jwt's event 104 for
/// the token settings), where <see cref="IOptionsMonitor{TOptions}.CurrentValue"/> would throw on every call from then on, each one an
/// <c>Internal</c> error, <c>Validate</c> included. (The token issuer and validator keep their last valid settings
/// themselves.) Made when the host starts (<see cref="PrivilegedPolicyCheck"/>), so that it follows every reload.
/// </summary>
internal sealed class SessionsServiceSettings : IDisposable
{
    private readonly LastValidOptions<SessionsServiceOptions> _service;
    private readonly LastValidOptions<JwtSessionOptions> _tokens;
    private readonly OptionsReloadFailures _reloadFailures;

    public SessionsServiceSettings(IServiceProvider services, ILogger<SessionsServiceSettings> logger)
    {
        _service = new LastValidOptions<SessionsServiceOptions>(services.GetRequiredService<IOptionsMonitor<SessionsServiceOptions>>());
        _tokens = new LastValidOptions<JwtSessionOptions>(services.GetRequiredService<IOptionsMonitor<JwtSessionOptions>>());

        // The lifecycle and the stores keep their last valid options themselves, and Sessions.Jwt says why a reload of
        // the token settings was not applied; this says it for the service's settings and the store's.
        _reloadFailures = new OptionsReloadFailures(services, errors => HostingLog.SettingsNotApplied(logger, errors));
        _reloadFailures.Watch<SessionsServiceOptions>();
        _reloadFailures.Watch<SessionStoreOptions>();
    }

    /// <summary>The service's settings in force: the last valid ones.</summary>
    public SessionsServiceOptions Current => _service.Current;

    /// <summary>The <c>iss</c> of the tokens issued now (<see cref="JwtSessionOptions.Issuer"/>, the last valid one).</summary>
    public string TokenIssuer => _tokens.Current.Issuer;

    public void Dispose()
    {
        _service.Dispose();
        _tokens.Dispose();
        _reloadFailures.Dispose();
    }
}

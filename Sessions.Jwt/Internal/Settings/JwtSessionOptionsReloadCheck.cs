using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sessions.Internal;

namespace Sessions.Jwt.Internal.Settings;

/// <summary>
/// Logs event 104 <c>SettingsNotApplied</c> when a configuration reload makes <see cref="JwtSessionOptions"/> invalid:
/// the issuer and the validator go on with the last valid settings, and without this line nobody would learn that the
/// change did not take effect (a service that only validates sessions as much as a session server).
/// </summary>
internal sealed class JwtSessionOptionsReloadCheck(IServiceProvider services, ILogger<JwtSessionOptionsReloadCheck> logger) : IHostedService, IDisposable
{
    private readonly OptionsReloadFailures _failures = new(services, errors => JwtLog.SettingsNotApplied(logger, errors));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _failures.Watch<JwtSessionOptions>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _failures.Dispose();
}

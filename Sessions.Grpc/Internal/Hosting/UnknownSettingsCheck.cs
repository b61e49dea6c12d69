using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sessions.Jwt;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// Warns at start about each value in the Sessions section that no setting reads (<c>Sessions__Algorithm=ES256</c>,
/// a misspelt <c>Sessions__Lifetme</c>): the configuration binder ignores such a value, so the host would run on the
/// default it was meant to change. Subsections (<c>Keys</c>, <c>Store</c>, <c>Redis</c>, ...) are bound by their own
/// options and are not looked into here.
/// </summary>
internal sealed class UnknownSettingsCheck(SessionsConfigurationSource source, ILogger<UnknownSettingsCheck> logger) : IHostedService
{
    // The settings the section's own values are bound to: those of the token options and of the service's options.
    private static readonly HashSet<string> Settings = typeof(JwtSessionOptions).GetProperties()
        .Concat(typeof(SessionsServiceOptions).GetProperties())
        .Where(static property => property.CanWrite)
        .Select(static property => property.Name)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var child in source.Section.GetChildren())
        {
            if (child.Value is not null && !Settings.Contains(child.Key))
            {
                HostingLog.UnknownSetting(logger, child.Path);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sessions.Jwt;
using Sessions.Lifecycle;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// Warns at start about each value that no setting reads, in the Sessions section (<c>Sessions__Algorithm=ES256</c>,
/// a misspelt <c>Sessions__Lifetme</c>), in each of its keys (<c>Sessions__Keys__0__Algoritm</c>) and in its store
/// subsection (<c>Sessions__Store__RefreshTokenLifetme</c>): the configuration binder ignores such a value, so the host
/// would run on the default it was meant to change. Other subsections (<c>Redis</c>, ...) are bound by their own
/// packages' options and are not looked into here.
/// </summary>
internal sealed class UnknownSettingsCheck(SessionsConfigurationSource source, ILogger<UnknownSettingsCheck> logger) : IHostedService
{
    // The settings the section's own values are bound to: those of the token options and of the service's options.
    private static readonly HashSet<string> SectionSettings = SettingsOf(typeof(JwtSessionOptions).GetProperties().Concat(typeof(SessionsServiceOptions).GetProperties()));

    private static readonly HashSet<string> KeySettings = SettingsOf(typeof(JwtSessionKeyOptions).GetProperties());

    private static readonly HashSet<string> StoreSettings = SettingsOf(typeof(SessionStoreOptions).GetProperties());

    public Task StartAsync(CancellationToken cancellationToken)
    {
        WarnAbout(source.Section, SectionSettings);
        foreach (var key in source.Section.GetSection(nameof(JwtSessionOptions.Keys)).GetChildren())
        {
            WarnAbout(key, KeySettings);
        }

        WarnAbout(source.Section.GetSection(SessionStoreConfigurationSetup.SubsectionName), StoreSettings);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Every property: the binder fills read-only collections (Keys) as well as settable ones.
    private static HashSet<string> SettingsOf(IEnumerable<System.Reflection.PropertyInfo> properties) =>
        properties.Select(static property => property.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private void WarnAbout(IConfiguration section, HashSet<string> settings)
    {
        foreach (var child in section.GetChildren())
        {
            if (child.Value is not null && !settings.Contains(child.Key))
            {
                HostingLog.UnknownSetting(logger, child.Path);
            }
        }
    }
}

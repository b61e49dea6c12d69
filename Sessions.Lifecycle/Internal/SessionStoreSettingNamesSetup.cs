using Microsoft.Extensions.Options;
using Sessions.Internal;

namespace Sessions.Lifecycle.Internal;

/// <summary>
/// Tells <see cref="SessionStoreOptions"/> how its messages name its settings: under the path a
/// <see cref="SessionsConfigurationPath"/> registers for it (<c>AddSessions(configuration)</c> registers its
/// <c>Store</c> subsection), so that start-up errors and the store's refusals name the setting the host wrote.
/// </summary>
internal sealed class SessionStoreSettingNamesSetup(IEnumerable<SessionsConfigurationPath> paths) : IConfigureOptions<SessionStoreOptions>
{
    // Sessions.Lifecycle binds no configuration itself: without a registered path the settings were set in code.
    private readonly string _prefix = SettingNames.Prefix(paths, typeof(SessionStoreOptions), defaultSection: null);

    public void Configure(SessionStoreOptions options) => options.SettingPrefix = _prefix;
}

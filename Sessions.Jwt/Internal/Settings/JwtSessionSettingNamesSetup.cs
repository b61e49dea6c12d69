using Microsoft.Extensions.Options;
using Sessions.Internal;

namespace Sessions.Jwt.Internal.Settings;

/// <summary>
/// Tells <see cref="JwtSessionOptions"/> how its messages name its settings: under the path a
/// <see cref="SessionsConfigurationPath"/> registers for it (<c>AddSessions(configuration)</c> does), so that a
/// host which keeps them in <c>Auth:Sessions</c> reads <c>Auth:Sessions:Secret</c> in the error that stops start-up.
/// </summary>
internal sealed class JwtSessionSettingNamesSetup(IEnumerable<SessionsConfigurationPath> paths) : IConfigureOptions<JwtSessionOptions>
{
    // Sessions.Jwt binds no configuration itself: without a registered path the settings were set in code.
    private readonly string _prefix = SettingNames.Prefix(paths, typeof(JwtSessionOptions), defaultSection: null);

    public void Configure(JwtSessionOptions options) => options.SettingPrefix = _prefix;
}

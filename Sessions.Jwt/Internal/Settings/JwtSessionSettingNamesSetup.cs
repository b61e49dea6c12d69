using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Sessions.Internal;

namespace Sessions.Jwt.Internal.Settings;

/// <summary>
/// Tells <see cref="JwtSessionOptions"/> how its messages name its settings: under the path a
/// <see cref="SessionsConfigurationPath"/> registers for it (<c>AddSessions(configuration)</c> does), so that a
/// host which keeps them in <c>Auth:Sessions</c> reads <c>Auth:Sessions:Secret</c> in the error that stops start-up;
/// and each key of <see cref="JwtSessionOptions.Keys"/> by the index its configuration gives it.
/// </summary>
internal sealed class JwtSessionSettingNamesSetup(IEnumerable<SessionsConfigurationPath> paths, IConfiguration? configuration)
    : IConfigureOptions<JwtSessionOptions>, IPostConfigureOptions<JwtSessionOptions>
{
    // Sessions.Jwt binds no configuration itself: without a registered path the settings were set in code.
    private readonly string _prefix = SettingNames.Prefix(paths, typeof(JwtSessionOptions), defaultSection: null);
    private readonly string? _path = paths.LastOrDefault(path => path.OptionsType == typeof(JwtSessionOptions))?.Path;

    public void Configure(JwtSessionOptions options) => options.SettingPrefix = _prefix;

    /// <summary>
    /// After every binding and every option set in code: the configuration's item for each key it holds. The binder
    /// makes one item of each child of <c>Keys</c>, in the order of the children, and numbers them 0, 1, 2 ... whatever
    /// their keys; an item whose id is not its child's (a key added in code before the binding) keeps its list index.
    /// </summary>
    public void PostConfigure(string? name, JwtSessionOptions options)
    {
        if (_path is null || configuration is null || options.Keys.Count == 0)
        {
            return;
        }

        var children = configuration.GetSection(SettingNames.Of(_path) + nameof(JwtSessionOptions.Keys)).GetChildren().ToList();
        var settings = new string?[options.Keys.Count];
        for (var i = 0; i < settings.Length && i < children.Count; i++)
        {
            if (string.Equals(children[i][nameof(JwtSessionKeyOptions.Id)], options.Keys[i].Id, StringComparison.Ordinal))
            {
                settings[i] = children[i].Path;
            }
        }

        options.KeySettings = settings;
    }
}

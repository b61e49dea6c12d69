namespace Sessions.Internal;

/// <summary>
/// Names the settings of an options type as the host's configuration writes them: under the path a
/// <see cref="SessionsConfigurationPath"/> registers for the type (<c>AddSessions(configuration)</c> does), or under
/// the type's default section. Linked into each package whose messages name settings (Shared/ at the repository root).
/// </summary>
internal static class SettingNames
{
    /// <summary>
    /// The prefix of <paramref name="optionsType"/>'s settings, with its trailing colon (<c>Auth:Sessions:</c>), or
    /// empty when they are bound from the root of a configuration.
    /// </summary>
    public static string Prefix(IEnumerable<SessionsConfigurationPath> paths, Type optionsType, string defaultSection)
    {
        var path = defaultSection;
        foreach (var registered in paths)
        {
            if (registered.OptionsType == optionsType)
            {
                path = registered.Path;
            }
        }

        return Of(path);
    }

    /// <summary>The prefix of the settings under <paramref name="path"/>: the path and a colon, or empty for the root.</summary>
    public static string Of(string path) => path.Length == 0 ? string.Empty : path + ":";

    /// <summary>
    /// The environment variable that sets <paramref name="setting"/> (<c>Auth__Sessions__ApiKey</c>): every colon
    /// written as two underscores, which the environment configuration provider reads back as a colon.
    /// </summary>
    public static string EnvironmentVariable(string setting) => setting.Replace(":", "__", StringComparison.Ordinal);
}

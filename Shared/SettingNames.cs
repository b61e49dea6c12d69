namespace Sessions.Internal;

/// <summary>
/// Names the settings of an options type as the host wrote them: under the path a <see cref="SessionsConfigurationPath"/>
/// registers for the type (<c>AddSessions()</c> registers <c>Sessions</c>, <c>AddSessions(configuration)</c> its
/// section's path), under the section a package always binds them from, or, for options set in code only, as the code
/// writes them (<c>JwtSessionOptions.Secret</c>). Linked into each package whose messages name settings (Shared/ at the
/// repository root).
/// </summary>
internal static class SettingNames
{
    /// <summary>
    /// The prefix of <paramref name="optionsType"/>'s settings, with its trailing colon (<c>Auth:Sessions:</c>), empty
    /// when they are bound from the root of a configuration, or <see cref="InCode"/> when no path is registered and
    /// <paramref name="defaultSection"/> is <see langword="null"/> (a package that never binds them itself).
    /// </summary>
    public static string Prefix(IEnumerable<SessionsConfigurationPath> paths, Type optionsType, string? defaultSection)
    {
        var path = defaultSection;
        foreach (var registered in paths)
        {
            if (registered.OptionsType == optionsType)
            {
                path = registered.Path;
            }
        }

        return path is null ? InCode(optionsType) : Of(path);
    }

    /// <summary>An item of a list setting: <c>Sessions:Keys:0</c>, or <c>JwtSessionOptions.Keys[0]</c> as code writes it.</summary>
    public static string Item(string prefix, string list, int index) =>
        prefix.EndsWith('.') ? $"{prefix}{list}[{index}]" : $"{prefix}{list}:{index}";

    /// <summary>A setting of an <see cref="Item"/>: <c>Sessions:Keys:0:PemFile</c>, or <c>JwtSessionOptions.Keys[0].PemFile</c>.</summary>
    public static string Under(string item, string name) => item.EndsWith(']') ? $"{item}.{name}" : $"{item}:{name}";

    /// <summary>The prefix of settings set in code: the options type's name and a dot (<c>JwtSessionOptions.</c>).</summary>
    public static string InCode(Type optionsType) => optionsType.Name + ".";

    /// <summary>The prefix of the settings under <paramref name="path"/>: the path and a colon, or empty for the root.</summary>
    public static string Of(string path) => path.Length == 0 ? string.Empty : path + ":";

    /// <summary>
    /// The environment variable that sets <paramref name="setting"/> (<c>Auth__Sessions__ApiKey</c>): every colon
    /// written as two underscores, which the environment configuration provider reads back as a colon.
    /// </summary>
    public static string EnvironmentVariable(string setting) => setting.Replace(":", "__", StringComparison.Ordinal);
}

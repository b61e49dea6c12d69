namespace Sessions;

/// <summary>
/// Where the host's configuration holds the settings of one options type of Sessions, so that start-up errors name
/// each setting as that configuration writes it (<c>Auth:Sessions:Secret</c> rather than <c>Sessions:Secret</c>).
/// <c>AddSessions(configuration)</c> and <c>AddRedisSessionStore(configuration)</c> register one for the section they
/// are given. A host that binds the options itself (<c>services.Configure&lt;JwtSessionOptions&gt;(section)</c>) can
/// register one the same way: <c>services.AddSingleton(new SessionsConfigurationPath(typeof(JwtSessionOptions),
/// section.Path))</c>. Without one, errors name the options type's default section (its <c>SectionName</c>); when
/// more than one is registered for a type, the last one counts.
/// </summary>
public sealed class SessionsConfigurationPath
{
    /// <summary>Creates the path of <paramref name="optionsType"/>'s settings.</summary>
    /// <param name="optionsType">The options type, for example <c>typeof(JwtSessionOptions)</c>.</param>
    /// <param name="path">
    /// The configuration path of the section the options are bound from, as <c>IConfigurationSection.Path</c> gives it
    /// (<c>Auth:Sessions</c>); empty when they are bound from the root of a configuration.
    /// </param>
    public SessionsConfigurationPath(Type optionsType, string path)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        ArgumentNullException.ThrowIfNull(path);
        OptionsType = optionsType;
        Path = path;
    }

    /// <summary>The options type whose settings are at <see cref="Path"/>.</summary>
    public Type OptionsType { get; }

    /// <summary>The configuration path of the options' section; empty for the root of a configuration.</summary>
    public string Path { get; }
}

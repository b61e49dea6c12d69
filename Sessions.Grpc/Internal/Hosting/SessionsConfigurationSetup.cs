using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Sessions.Internal;
using Sessions.Jwt;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// Binds <see cref="JwtSessionOptions"/> and <see cref="SessionsServiceOptions"/> from the <see cref="SessionsConfigurationSource"/> (by default the host's
/// <c>Sessions</c> section), as <c>AddJwtBearer()</c> binds <c>Authentication:Schemes:Bearer</c>: environment variables
/// such as <c>Sessions__Secret</c> and appsettings.json work without any code. It is registered before the options a
/// host sets in code, so code wins over configuration.
/// </summary>
internal sealed class SessionsConfigurationSetup(SessionsConfigurationSource source)
    : IConfigureOptions<JwtSessionOptions>, IConfigureOptions<SessionsServiceOptions>
{
    /// <summary>The <see cref="TimeSpan"/> settings of <see cref="JwtSessionOptions"/>, which may not be bare numbers.</summary>
    internal static readonly string[] Durations = [nameof(JwtSessionOptions.Lifetime), nameof(JwtSessionOptions.ClockSkew)];

    public void Configure(JwtSessionOptions options)
    {
        SettingsBinding.Bind<JwtSessionOptions>(() => source.Section.Bind(options), source.Section, Durations);

        // The binder drops one value where the list of keys goes (Sessions__Keys=..., "Keys": "..."), and the line was
        // then about a missing Secret. Never the value itself: it is likely a key.
        if (!string.IsNullOrEmpty(source.Section.GetSection(nameof(JwtSessionOptions.Keys)).Value))
        {
            var prefix = SettingNames.Of(source.Section is IConfigurationSection section ? section.Path : string.Empty);
            var keys = prefix + nameof(JwtSessionOptions.Keys);
            throw new OptionsValidationException(Options.DefaultName, typeof(JwtSessionOptions),
            [
                $"{keys} is one value, not a list of keys: give each key its settings, {keys}:0:Id and {keys}:0:Secret (or Pem, PemFile, Jwk, JwkFile, Generate), " +
                $"then {keys}:1:Id and so on for the next, or set {prefix}{nameof(JwtSessionOptions.Secret)} for a single HS256 secret.",
            ]);
        }
    }

    public void Configure(SessionsServiceOptions options) => SettingsBinding.Bind<SessionsServiceOptions>(() => source.Section.Bind(options));
}

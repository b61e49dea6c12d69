using Microsoft.Extensions.Options;
using Sessions.Internal;
using Sessions.Jwt;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// Refuses <see cref="JwtSessionOptions"/> whose keys cannot sign, for a host that serves <c>Create</c>: a ring of
/// public keys only (a public PEM without <see cref="JwtSessionOptions.SigningKeyId"/>) is valid for a service that
/// only validates, so <c>Sessions.Jwt</c> accepts it, but a session server with it started and failed every
/// <c>Create</c> as <c>INTERNAL</c>. As a validator of the options it stops start-up with a line, and makes the options
/// monitor refuse a reload to such keys (the previous ring stays, and <c>SettingsNotApplied</c> says why).
/// </summary>
internal sealed class SigningKeyCheck(IEnumerable<SessionsConfigurationPath> paths) : IValidateOptions<JwtSessionOptions>
{
    // As Sessions.Jwt names them: AddSessions() always registers where the options are bound.
    private readonly string _prefix = SettingNames.Prefix(paths, typeof(JwtSessionOptions), defaultSection: null);

    public ValidateOptionsResult Validate(string? name, JwtSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // A secret signs (tokens without kid), as does a generated key or the secret of an HS256 key. A SigningKeyId
        // that names a key which cannot sign, no key at all, and keys that cannot be read are the options' own
        // validator's to report, once.
        if (!string.IsNullOrEmpty(options.Secret) || options.SigningKeyId is not null || options.Keys.Count == 0
            || options.Keys.Any(key => key.Generate || !string.IsNullOrEmpty(key.Secret)))
        {
            return ValidateOptionsResult.Skip;
        }

        SessionKeySet keys;
        try
        {
            using var source = new OptionsSessionKeySource(options);
            keys = source.GetKeys();
        }
        catch (OptionsValidationException)
        {
            return ValidateOptionsResult.Skip;
        }

        try
        {
            return keys.SigningKey is not null
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"No key of {_prefix}Keys can sign, and {_prefix}Secret is not set: this server could validate sessions but not issue them, and every Create would fail. " +
                    $"Give one of the keys its private part (a private key PEM, or a JWK with 'd'), or add a key that can sign and name it in {_prefix}SigningKeyId.");
        }
        finally
        {
            // Loaded only to learn whether one can sign; the key source in use loads its own.
            foreach (var key in keys.Keys)
            {
                key.AsymmetricKey?.Dispose();
            }
        }
    }
}

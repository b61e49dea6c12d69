using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Sessions.Internal;
using Sessions.Jwt.Internal.Keys;
using Sessions.Jwt.Internal.Signing;

namespace Sessions.Jwt.Internal.Settings;

/// <summary>
/// Checks <see cref="JwtSessionOptions"/> when the host starts and lists every problem in one message, each naming
/// the setting and how to fix it.
/// </summary>
internal sealed class JwtSessionOptionsValidator(IEnumerable<ExternalKeySourceMarker> externalKeys) : IValidateOptions<JwtSessionOptions>
{
    private readonly bool _keysFromElsewhere = externalKeys.Any();

    public ValidateOptionsResult Validate(string? name, JwtSessionOptions options)
    {
        var errors = Collect(options, checkKeys: true, keysRequired: !_keysFromElsewhere);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <param name="options">The options.</param>
    /// <param name="checkKeys">Whether to load every configured key (not generated ones) to prove it can be read.</param>
    /// <param name="keysRequired">Whether the options must hold a key (false when keys come from a JWKS).</param>
    public static List<string> Collect(JwtSessionOptions options, bool checkKeys = true, bool keysRequired = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var prefix = options.SettingPrefix;

        if (options.Keys.Count > 0)
        {
            if (checkKeys)
            {
                CollectKeyErrors(options, errors);
            }

            if (!string.IsNullOrEmpty(options.Secret))
            {
                CollectSecretErrors(options.Secret, prefix, errors);
            }
        }
        else if (string.IsNullOrEmpty(options.Secret) && keysRequired)
        {
            errors.Add($"{prefix}Secret is not set. HS256 needs a secret of at least {JwtSessionOptions.MinimumSecretBytes} bytes (256 bits); " +
                "generate one with 'openssl rand -base64 32' and set it as 'base64:<output>'.");
        }
        else if (!string.IsNullOrEmpty(options.Secret))
        {
            CollectSecretErrors(options.Secret, prefix, errors);
        }

        if (keysRequired && options.Keys.Count == 0 && options.SigningKeyId is { } signingKeyId)
        {
            errors.Add($"{prefix}SigningKeyId is '{signingKeyId}', but {prefix}Keys is empty: it names the key of {prefix}Keys that signs. " +
                $"Add that key to {prefix}Keys, or remove {prefix}SigningKeyId to sign with {prefix}Secret (tokens without kid).");
        }

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            errors.Add($"{prefix}Issuer must not be empty (the default is 'session-server').");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            errors.Add($"{prefix}Audience must not be empty (the default is 'user').");
        }

        if (options.Lifetime < TimeSpan.FromSeconds(1) || options.Lifetime > TimeSpan.FromDays(366))
        {
            errors.Add($"{prefix}Lifetime is {options.Lifetime}; it must be between 1 second and 366 days (the default is 24 hours).");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{prefix}ClockSkew is {options.ClockSkew}; it must be between 0 and 5 minutes (the default is 30 seconds).");
        }

        if (options.MaxTokenLength is < 512 or > 1_048_576)
        {
            errors.Add($"{prefix}MaxTokenLength is {options.MaxTokenLength}; it must be between 512 and 1,048,576 characters (the default is 8,192).");
        }

        if (options.MaxCustomClaims is < 0 or > 1000)
        {
            errors.Add($"{prefix}MaxCustomClaims is {options.MaxCustomClaims}; it must be between 0 and 1,000 (the default is 32).");
        }

        if (options.MaxClaimNameLength is < 1 or > 1024)
        {
            errors.Add($"{prefix}MaxClaimNameLength is {options.MaxClaimNameLength}; it must be between 1 and 1,024 (the default is 64).");
        }

        if (options.MaxCustomClaimsBytes is < 0 or > 65_536)
        {
            errors.Add($"{prefix}MaxCustomClaimsBytes is {options.MaxCustomClaimsBytes}; it must be between 0 and 65,536 (the default is 4,096).");
        }
        else if (options.MaxTokenLength is >= 512 and <= 1_048_576 &&
            SessionTokenSettings.MaxTokenLengthFor(options) > options.MaxTokenLength)
        {
            errors.Add($"{prefix}MaxTokenLength ({options.MaxTokenLength}) is shorter than the longest token the issuer can write " +
                $"({SessionTokenSettings.MaxTokenLengthFor(options)} characters, with a 256-character subject and {prefix}MaxCustomClaimsBytes = {options.MaxCustomClaimsBytes}): " +
                "such tokens could not be validated. Raise MaxTokenLength or lower MaxCustomClaimsBytes.");
        }

        return errors;
    }

    private static void CollectSecretErrors(string secret, string prefix, List<string> errors)
    {
        if (SecretDecoder.TryDecodeKey(secret, prefix + "Secret", out var key, out var error))
        {
            CryptographicOperations.ZeroMemory(key);
        }
        else
        {
            errors.Add(error);
        }
    }

    private static void CollectKeyErrors(JwtSessionOptions options, List<string> errors)
    {
        var prefix = options.SettingPrefix;
        var loaded = new List<SessionKey>();
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            if (key.Generate)
            {
                // Generating here would make a key nobody uses; check the shape only.
                if (string.IsNullOrWhiteSpace(key.Id) || !JwsAlgorithms.IsSupported(key.Algorithm))
                {
                    errors.Add($"{options.KeySetting(i)} needs an Id and an Algorithm among {string.Join(", ", SessionKey.SupportedAlgorithms)}.");
                }

                continue;
            }

            try
            {
                loaded.Add(Keys.SessionKeyLoader.Load(key, options.KeySetting(i), null));
            }
            catch (InvalidOperationException exception)
            {
                errors.Add(exception.Message);
            }
        }

        var duplicates = options.Keys.Where(k => !string.IsNullOrWhiteSpace(k.Id)).GroupBy(k => k.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);
        foreach (var duplicate in duplicates)
        {
            errors.Add($"{prefix}Keys: the id '{duplicate}' is used by more than one key; ids must be unique.");
        }

        if (options.SigningKeyId is { } signingKeyId)
        {
            var signing = options.Keys.FirstOrDefault(k => string.Equals(k.Id, signingKeyId, StringComparison.Ordinal));
            var loadedSigning = loaded.FirstOrDefault(k => string.Equals(k.Id, signingKeyId, StringComparison.Ordinal));
            if (signing is null)
            {
                errors.Add($"{prefix}SigningKeyId is '{signingKeyId}', but no key in {prefix}Keys has that id.");
            }
            else if (loadedSigning is { CanSign: false })
            {
                errors.Add($"{prefix}SigningKeyId names '{signingKeyId}', a public key that cannot sign; give its private key (PEM or JWK with 'd').");
            }
        }

        foreach (var key in loaded)
        {
            key.AsymmetricKey?.Dispose();
        }
    }
}

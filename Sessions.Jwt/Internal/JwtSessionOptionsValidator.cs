using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Sessions.Jwt.Internal;

/// <summary>
/// Checks <see cref="JwtSessionOptions"/> when the host starts and lists every problem in one message, each naming
/// the setting and how to fix it.
/// </summary>
internal sealed class JwtSessionOptionsValidator : IValidateOptions<JwtSessionOptions>
{
    private const string Prefix = JwtSessionOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, JwtSessionOptions options)
    {
        var errors = Collect(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Collect(JwtSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (string.IsNullOrEmpty(options.Secret))
        {
            errors.Add($"{Prefix}Secret is not set. HS256 needs a secret of at least {JwtSessionOptions.MinimumSecretBytes} bytes (256 bits); " +
                "generate one with 'openssl rand -base64 32' and set it as 'base64:<output>'.");
        }
        else if (!SecretDecoder.TryDecode(options.Secret, out var key, out var error))
        {
            errors.Add($"{Prefix}Secret {error}. Use 'base64:' followed by standard or URL-safe base64, or plain text without the prefix.");
        }
        else
        {
            if (key.Length < JwtSessionOptions.MinimumSecretBytes)
            {
                errors.Add($"{Prefix}Secret is {key.Length} bytes; HS256 needs at least {JwtSessionOptions.MinimumSecretBytes} bytes (256 bits). " +
                    "Use a longer secret, e.g. 'openssl rand -base64 32' set as 'base64:<output>'.");
            }

            CryptographicOperations.ZeroMemory(key);
        }

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            errors.Add($"{Prefix}Issuer must not be empty (the default is 'session-server').");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            errors.Add($"{Prefix}Audience must not be empty (the default is 'user').");
        }

        if (options.Lifetime < TimeSpan.FromSeconds(1) || options.Lifetime > TimeSpan.FromDays(366))
        {
            errors.Add($"{Prefix}Lifetime is {options.Lifetime}; it must be between 1 second and 366 days (the default is 24 hours).");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{Prefix}ClockSkew is {options.ClockSkew}; it must be between 0 and 5 minutes (the default is 30 seconds).");
        }

        if (options.MaxTokenLength is < 512 or > 1_048_576)
        {
            errors.Add($"{Prefix}MaxTokenLength is {options.MaxTokenLength}; it must be between 512 and 1,048,576 characters (the default is 8,192).");
        }

        if (options.MaxCustomClaims is < 0 or > 1000)
        {
            errors.Add($"{Prefix}MaxCustomClaims is {options.MaxCustomClaims}; it must be between 0 and 1,000 (the default is 32).");
        }

        if (options.MaxClaimNameLength is < 1 or > 1024)
        {
            errors.Add($"{Prefix}MaxClaimNameLength is {options.MaxClaimNameLength}; it must be between 1 and 1,024 (the default is 64).");
        }

        if (options.MaxCustomClaimsBytes is < 0 or > 65_536)
        {
            errors.Add($"{Prefix}MaxCustomClaimsBytes is {options.MaxCustomClaimsBytes}; it must be between 0 and 65,536 (the default is 4,096).");
        }
        else if (options.MaxTokenLength is >= 512 and <= 1_048_576 &&
            SessionTokenSettings.MaxTokenLengthFor(options) > options.MaxTokenLength)
        {
            errors.Add($"{Prefix}MaxCustomClaimsBytes ({options.MaxCustomClaimsBytes}) would allow tokens longer than " +
                $"{Prefix}MaxTokenLength ({options.MaxTokenLength}): issued tokens could not be validated. Raise MaxTokenLength or lower MaxCustomClaimsBytes.");
        }

        return errors;
    }
}

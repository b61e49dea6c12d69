using Microsoft.Extensions.Options;

namespace Sessions.Grpc.Internal;

/// <summary>Checks the key of each API-key scheme when the host starts; the message gives its length, never the key.</summary>
internal sealed class ApiKeyOptionsValidator : IValidateOptions<SessionsApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionsApiKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ApiKeyCheck.IsLongEnough(options.Key, out var bytes))
        {
            return ValidateOptionsResult.Success;
        }

        var state = options.Key is null ? "has no key" : $"has a key of {bytes} bytes";
        return ValidateOptionsResult.Fail(
            $"The API-key authentication scheme '{name}' {state}; it needs at least {SessionsApiKeyOptions.MinimumKeyBytes}: make one with 'openssl rand -base64 32'.");
    }
}

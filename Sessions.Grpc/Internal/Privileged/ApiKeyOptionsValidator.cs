using Microsoft.Extensions.Options;
using Sessions.Internal;

namespace Sessions.Grpc.Internal.Privileged;

/// <summary>Checks the keys of each API-key scheme when the host starts; the message gives their length, never a key.</summary>
internal sealed class ApiKeyOptionsValidator : IValidateOptions<SessionsApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionsApiKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!ApiKeyCheck.IsLongEnough(options.Key, out var bytes))
        {
            var state = options.Key is null ? "has no key" : $"has a key of {bytes} bytes";
            errors.Add($"The API-key authentication scheme '{name}' {state}: its Key (AddSessionsApiKey(o => o.Key = ...)) needs at least {SessionsApiKeyOptions.MinimumKeyBytes} bytes; make one with 'openssl rand -base64 32'.");
        }
        else if (options.Key is { } key && ApiKeyText.Unsendable(key) is { } problem)
        {
            errors.Add($"The API-key authentication scheme '{name}' has a Key with {problem}, {ApiKeyText.Fix}");
        }

        if (options.PreviousKey is not null && !ApiKeyCheck.IsLongEnough(options.PreviousKey, out var previousBytes))
        {
            errors.Add($"The API-key authentication scheme '{name}' has a PreviousKey of {previousBytes} bytes; it needs at least {SessionsApiKeyOptions.MinimumKeyBytes} bytes, as Key does.");
        }
        else if (options.PreviousKey is not null && ApiKeyText.Unsendable(options.PreviousKey) is { } previousProblem)
        {
            errors.Add($"The API-key authentication scheme '{name}' has a PreviousKey with {previousProblem}, {ApiKeyText.Fix}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

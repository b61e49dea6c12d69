using Microsoft.Extensions.Options;
using Sessions.Grpc.Internal.Privileged;
using Sessions.Internal;
using Sessions.Jwt;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>
/// Checks <see cref="SessionsServiceOptions"/> when the host starts, naming the setting as it is written in
/// configuration and how to fix it.
/// </summary>
internal sealed class SessionsServiceOptionsValidator(IEnumerable<SessionsConfigurationPath> paths) : IValidateOptions<SessionsServiceOptions>
{
    private readonly string _prefix = SettingNames.Prefix(paths, typeof(SessionsServiceOptions), JwtSessionOptions.SectionName);

    public ValidateOptionsResult Validate(string? name, SessionsServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var apiKeySetting = _prefix + nameof(SessionsServiceOptions.ApiKey);
        var previousApiKeySetting = _prefix + nameof(SessionsServiceOptions.PreviousApiKey);
        if (options.PublicBaseUrl is { IsAbsoluteUri: true, UserInfo.Length: > 0 } withUser)
        {
            // The user name and password are left out of the line, which goes to the log.
            errors.Add($"{_prefix}{nameof(SessionsServiceOptions.PublicBaseUrl)} '{WithoutUserInfo(withUser)}' has a user name or password (before '@'), " +
                "which the discovery document would publish: remove it, and give the address validators reach this server at, such as https://sessions.example.com.");
        }
        else if (options.PublicBaseUrl is { } url && !IsBaseUrl(url))
        {
            errors.Add($"{_prefix}{nameof(SessionsServiceOptions.PublicBaseUrl)} '{url.OriginalString}' is not an absolute http or https URL without query or fragment: " +
                "use the address validators reach this server at, such as https://sessions.example.com.");
        }

        if (options.PrivilegedPolicy is { } policy && string.IsNullOrWhiteSpace(policy))
        {
            errors.Add($"{_prefix}{nameof(SessionsServiceOptions.PrivilegedPolicy)} is empty: name an authorization policy, or remove the setting to leave the privileged calls open.");
        }

        if (options.ApiKey is null && options.ApiKeyRequired)
        {
            errors.Add($"{apiKeySetting} is not set and AddSessions().RequireApiKey(...) needs it: make one with 'openssl rand -base64 32' and set it " +
                $"({SettingNames.EnvironmentVariable(apiKeySetting)} in the environment, or pass it to RequireApiKey(key)).");
        }
        else if (options.ApiKey is { } key && !ApiKeyCheck.IsLongEnough(key, out var bytes))
        {
            // Its length only: the key itself never goes into a message.
            errors.Add($"{apiKeySetting} is {(bytes == 0 ? "empty" : $"{bytes} bytes")}; a key needs at least {SessionsApiKeyOptions.MinimumKeyBytes} bytes: " +
                "make one with 'openssl rand -base64 32'" + (options.ApiKeyRequired ? "." : ", or remove the setting."));
        }
        else if (options.ApiKey is { } sendable && ApiKeyText.Unsendable(sendable) is { } problem)
        {
            errors.Add($"{apiKeySetting} has {problem}, {ApiKeyText.Fix}");
        }

        if (options.PreviousApiKey is { } previous)
        {
            if (options.ApiKey is null)
            {
                errors.Add($"{previousApiKeySetting} is set but {apiKeySetting} is not: the previous key is accepted beside the current one while callers move to it; set {apiKeySetting} to the new key.");
            }
            else if (!ApiKeyCheck.IsLongEnough(previous, out var previousBytes))
            {
                errors.Add($"{previousApiKeySetting} is {(previousBytes == 0 ? "empty" : $"{previousBytes} bytes")}; a key needs at least {SessionsApiKeyOptions.MinimumKeyBytes} bytes: " +
                    "set it to the key callers used before, or remove the setting.");
            }
            else if (ApiKeyText.Unsendable(previous) is { } problem)
            {
                errors.Add($"{previousApiKeySetting} has {problem}, {ApiKeyText.Fix}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string WithoutUserInfo(Uri url) =>
        url.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped);

    private static bool IsBaseUrl(Uri url) =>
        url.IsAbsoluteUri
        && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(url.Query)
        && string.IsNullOrEmpty(url.Fragment)
        && string.IsNullOrEmpty(url.UserInfo);
}

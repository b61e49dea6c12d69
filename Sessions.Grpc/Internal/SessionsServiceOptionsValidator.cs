using Microsoft.Extensions.Options;
using Sessions.Jwt;

namespace Sessions.Grpc.Internal;

/// <summary>
/// Checks <see cref="SessionsServiceOptions"/> when the host starts, naming the setting as it is written in
/// configuration and how to fix it.
/// </summary>
internal sealed class SessionsServiceOptionsValidator : IValidateOptions<SessionsServiceOptions>
{
    private const string PublicBaseUrlSetting = JwtSessionOptions.SectionName + ":" + nameof(SessionsServiceOptions.PublicBaseUrl);

    private const string PrivilegedPolicySetting = JwtSessionOptions.SectionName + ":" + nameof(SessionsServiceOptions.PrivilegedPolicy);

    public ValidateOptionsResult Validate(string? name, SessionsServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.PublicBaseUrl is { } url && !IsBaseUrl(url))
        {
            errors.Add($"{PublicBaseUrlSetting} '{url.OriginalString}' is not an absolute http or https URL without query or fragment: " +
                "use the address validators reach this server at, such as https://sessions.example.com.");
        }

        if (options.PrivilegedPolicy is { } policy && string.IsNullOrWhiteSpace(policy))
        {
            errors.Add($"{PrivilegedPolicySetting} is empty: name an authorization policy, or remove the setting to leave the privileged calls open.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsBaseUrl(Uri url) =>
        url.IsAbsoluteUri
        && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(url.Query)
        && string.IsNullOrEmpty(url.Fragment)
        && string.IsNullOrEmpty(url.UserInfo);
}

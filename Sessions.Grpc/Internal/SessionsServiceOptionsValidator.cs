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

    public ValidateOptionsResult Validate(string? name, SessionsServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PublicBaseUrl is { } url && !IsBaseUrl(url))
        {
            return ValidateOptionsResult.Fail(
                $"{PublicBaseUrlSetting} '{url.OriginalString}' is not an absolute http or https URL without query or fragment: " +
                "use the address validators reach this server at, such as https://sessions.example.com.");
        }

        return ValidateOptionsResult.Success;
    }

    private static bool IsBaseUrl(Uri url) =>
        url.IsAbsoluteUri
        && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(url.Query)
        && string.IsNullOrEmpty(url.Fragment)
        && string.IsNullOrEmpty(url.UserInfo);
}

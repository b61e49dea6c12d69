using Microsoft.Extensions.Options;
using Sessions.Internal;

namespace Sessions.Jwt.Internal.Settings;

/// <summary>
/// Checks <see cref="JwksSessionKeySourceOptions"/>, one message per setting, named as the code sets them
/// (<c>JwksSessionKeySourceOptions.JwksUri</c>): when the host starts (<c>AddJwtSessionValidation</c>) and when the key
/// source is made directly. An address the HTTP client cannot fetch (<c>file:</c>, <c>ftp:</c>, a relative one) would
/// otherwise fail every fetch with an exception the key source is not built for.
/// </summary>
internal sealed class JwksSessionKeySourceOptionsCheck : IValidateOptions<JwksSessionKeySourceOptions>
{
    /// <summary>The smallest <see cref="JwksSessionKeySourceOptions.MaxDocumentBytes"/>: a key set with one EC key is about 250 bytes.</summary>
    public const int MinimumDocumentBytes = 1024;

    /// <summary>The largest <see cref="JwksSessionKeySourceOptions.MaxDocumentBytes"/>.</summary>
    public const int MaximumDocumentBytes = 64 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, JwksSessionKeySourceOptions options)
    {
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>What is wrong with <paramref name="options"/>; empty when nothing is.</summary>
    public static List<string> Problems(JwksSessionKeySourceOptions options)
    {
        var prefix = SettingNames.InCode(typeof(JwksSessionKeySourceOptions));
        var problems = new List<string>();
        if (options.JwksUri is not { } uri)
        {
            problems.Add($"{prefix}{nameof(options.JwksUri)} is not set: give the session server's JWKS address, e.g. http://sessions:3124/.well-known/jwks.json (its HTTP/1.1 port).");
        }
        else if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{prefix}{nameof(options.JwksUri)} '{Health.KeyDescription.Address(uri)}' is not an absolute http:// or https:// address: give the session server's, e.g. http://sessions:3124/.well-known/jwks.json.");
        }

        if (options.RefreshInterval < TimeSpan.FromSeconds(1))
        {
            problems.Add($"{prefix}{nameof(options.RefreshInterval)} is {options.RefreshInterval}; it must be at least 1 second (the default is 5 minutes).");
        }

        if (options.MinimumRefreshInterval < TimeSpan.Zero)
        {
            problems.Add($"{prefix}{nameof(options.MinimumRefreshInterval)} is {options.MinimumRefreshInterval}; it must not be negative (the default is 10 seconds).");
        }

        if (options.FetchTimeout <= TimeSpan.Zero || options.FetchTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{prefix}{nameof(options.FetchTimeout)} is {options.FetchTimeout}; it must be more than 0 and at most 5 minutes (the default is 5 seconds).");
        }

        if (options.MaxDocumentBytes is < MinimumDocumentBytes or > MaximumDocumentBytes)
        {
            problems.Add($"{prefix}{nameof(options.MaxDocumentBytes)} is {options.MaxDocumentBytes}; it must be between {MinimumDocumentBytes} and {MaximumDocumentBytes} (the default is 1 MiB).");
        }

        return problems;
    }
}

using Microsoft.AspNetCore.Authentication;

namespace Sessions.Grpc;

/// <summary>
/// Options of the API-key authentication scheme: a caller that sends <see cref="SessionsApiKeyDefaults.MetadataKey"/>
/// (<c>x-api-key</c>) with <see cref="Key"/> is authenticated, for example to make the privileged calls of the
/// sessions service. The key is compared in fixed time and never logged. Validated when the host starts.
/// </summary>
public sealed class SessionsApiKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>The shortest key accepted, in UTF-8 bytes: 32 (256 bits; <c>openssl rand -base64 32</c> makes one).</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>
    /// The key callers must send, compared as UTF-8 bytes; at least <see cref="MinimumKeyBytes"/> bytes. Keep it in a
    /// secret store, not in appsettings.json.
    /// </summary>
    /// <value>The default is <see langword="null"/>, which stops start-up: the scheme needs a key.</value>
    public string? Key { get; set; }

    /// <summary>Checks sent keys against <see cref="Key"/>.</summary>
    internal Internal.ApiKeyCheck Check { get; } = new();
}

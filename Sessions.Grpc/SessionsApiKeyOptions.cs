using Microsoft.AspNetCore.Authentication;
using Sessions.Grpc.Internal.Privileged;

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
    /// The key callers must send, compared as UTF-8 bytes; at least <see cref="MinimumKeyBytes"/> bytes, without a line
    /// break, another control character or whitespace at either end, which no header can carry (start-up stops on one).
    /// Keep it in a secret store, not in appsettings.json.
    /// </summary>
    /// <value>The default is <see langword="null"/>, which stops start-up: the scheme needs a key.</value>
    public string? Key { get; set; }

    /// <summary>
    /// A second key accepted as <see cref="Key"/> is, while callers move to a new key: to rotate without a refused
    /// call, make the new key <see cref="Key"/> and the old one <see cref="PreviousKey"/>, move the callers to the new
    /// key, then remove this one. A caller authenticated with it is logged at <c>Debug</c>
    /// (<c>ApiKeySchemePreviousKeyUsed</c>, with its address), so that the callers still on it can be found. A sent value
    /// is compared with both keys every time, so the time taken does not say which one matched. Needs <see cref="Key"/>;
    /// at least <see cref="MinimumKeyBytes"/> UTF-8 bytes, and what a header can carry, as <see cref="Key"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: only <see cref="Key"/> is accepted.</value>
    public string? PreviousKey { get; set; }

    /// <summary>Checks sent keys against <see cref="Key"/> and <see cref="PreviousKey"/>.</summary>
    internal Internal.Privileged.RotatingApiKeyCheck Check { get; } = new();
}

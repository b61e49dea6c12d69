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
    public string? Key
    {
        get => _key;
        set
        {
            _key = value;
            _keyHash = null;
        }
    }

    private string? _key;
    private byte[]? _keyHash;

    /// <summary>The SHA-256 of <see cref="Key"/>'s UTF-8 bytes, made once per key rather than once per call.</summary>
    internal ReadOnlySpan<byte> KeyHash(string key)
    {
        if (Volatile.Read(ref _keyHash) is { } hash && ReferenceEquals(key, _key))
        {
            return hash;
        }

        hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
        if (ReferenceEquals(key, _key))
        {
            Volatile.Write(ref _keyHash, hash);
        }

        return hash;
    }
}

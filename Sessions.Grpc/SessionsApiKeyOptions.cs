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

    // The hash of the last key asked for, with that key: one immutable pair, so that a caller on another thread never
    // reads one key's hash for another key.
    private Tuple<string, byte[]>? _keyHash;

    /// <summary>The SHA-256 of <paramref name="key"/>'s UTF-8 bytes, made once per key rather than once per call.</summary>
    internal ReadOnlySpan<byte> KeyHash(string key)
    {
        if (Volatile.Read(ref _keyHash) is { } cached && ReferenceEquals(cached.Item1, key))
        {
            return cached.Item2;
        }

        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
        Volatile.Write(ref _keyHash, Tuple.Create(key, hash));
        return hash;
    }
}

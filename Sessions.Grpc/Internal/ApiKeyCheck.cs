using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Sessions.Internal;

namespace Sessions.Grpc.Internal;

/// <summary>
/// The one check of an API key, for the key the service edge checks itself (<see cref="SessionsServiceOptions.ApiKey"/>)
/// and for the authentication scheme (<c>AddSessionsApiKey</c>): both keys are hashed with SHA-256 and the hashes
/// compared in fixed time, so neither the key's length nor how much of it a guess got right shows in the time taken.
/// Neither value is ever logged or put in a message.
/// </summary>
internal sealed class ApiKeyCheck
{
    // The hash of the last key asked for, with that key: one immutable pair, so that a caller on another thread never
    // reads one key's hash for another key (a reloaded option gives a new key).
    private Tuple<string, byte[]>? _keyHash;

    /// <summary>Whether <paramref name="key"/> has the <see cref="SessionsApiKeyOptions.MinimumKeyBytes"/> a key needs.</summary>
    /// <param name="key">The configured key.</param>
    /// <param name="bytes">Its length in UTF-8 bytes, for a message that must not show the key itself.</param>
    public static bool IsLongEnough(string? key, out int bytes)
    {
        bytes = key is null ? 0 : Encoding.UTF8.GetByteCount(key);
        return bytes >= SessionsApiKeyOptions.MinimumKeyBytes;
    }

    /// <summary>
    /// The caller a matching key stands for, as <c>HttpContext.User</c>: authenticated by <paramref name="scheme"/>, with
    /// the scheme's name as its name. A new one per call, since hooks may add to it.
    /// </summary>
    public static ClaimsPrincipal Caller(string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, scheme)], scheme));

    /// <summary>Whether <paramref name="sent"/> is <paramref name="key"/>, in a time that depends on neither.</summary>
    /// <param name="sent">The value the caller sent.</param>
    /// <param name="key">The configured key.</param>
    public bool Matches(string sent, string key)
    {
        // Keys are short; one that is not (it would be refused anyway) is hashed from a heap buffer.
        var length = Encoding.UTF8.GetMaxByteCount(sent.Length);
        Span<byte> bytes = length <= 1024 ? stackalloc byte[1024] : new byte[length];
        Span<byte> sentHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..Encoding.UTF8.GetBytes(sent, bytes)], sentHash);
        return Digest32.FixedTimeEquals(sentHash, KeyHash(key));
    }

    /// <summary>The SHA-256 hash of <paramref name="key"/>, made once per key.</summary>
    internal ReadOnlySpan<byte> KeyHash(string key)
    {
        if (Volatile.Read(ref _keyHash) is { } cached && ReferenceEquals(cached.Item1, key))
        {
            return cached.Item2;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        Volatile.Write(ref _keyHash, Tuple.Create(key, hash));
        return hash;
    }
}

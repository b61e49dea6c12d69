using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Sessions.Grpc.Internal.Privileged;

/// <summary>
/// The one check of an API key, for the key the service edge checks itself (<see cref="SessionsServiceOptions.ApiKey"/>)
/// and for the authentication scheme (<c>AddSessionsApiKey</c>): the value sent is compared with the key in a time that
/// depends on the sent value's length only, so neither the key's length nor how much of it a guess got right shows in
/// the time taken. Neither value is ever logged or put in a message.
/// </summary>
/// <remarks>
/// Both are compared as UTF-16 characters, whole vectors at a time, against a copy of the key padded with zeros to
/// <see cref="PaddedLength"/>: which vectors are read and how many depends on the sent length alone, every character
/// is compared whatever came before, and the lengths are compared last with the same OR. Hashing both with SHA-256
/// and comparing the hashes would hide as much, at some 6,000 instructions a call through OpenSSL.
/// </remarks>
internal sealed class ApiKeyCheck
{
    /// <summary>
    /// The characters the key is padded to: 1,024, or more for a longer key. A sent value longer than that is refused
    /// without a comparison, which tells the sender nothing about a key that is shorter.
    /// </summary>
    public const int PaddedLength = 1024;

    private static readonly int s_lanes = Vector128<ushort>.Count;

    // The last key asked for, with its padded copy: one immutable pair, so that a caller on another thread never
    // compares with one key's copy for another key (a reloaded option gives a new key).
    private Tuple<string, char[]>? _padded;

    /// <summary>Whether <paramref name="key"/> has the <see cref="SessionsApiKeyOptions.MinimumKeyBytes"/> a key needs.</summary>
    /// <param name="key">The configured key.</param>
    /// <param name="bytes">Its length in UTF-8 bytes, for a message that must not show the key itself.</param>
    public static bool IsLongEnough(string? key, out int bytes)
    {
        bytes = key is null ? 0 : Encoding.UTF8.GetByteCount(key);
        return bytes >= SessionsApiKeyOptions.MinimumKeyBytes;
    }

    /// <summary>
    /// Whether the <c>x-api-key</c> metadata <paramref name="sent"/> carries no key: absent, or with nothing but empty or
    /// white-space values. Such a header is what a client sends when its key setting is empty; it is no credential, so
    /// the call is answered as one without the header (<c>Unauthenticated</c>, naming what is missing) rather than as one
    /// with a wrong key (<c>PermissionDenied</c>), which would send its operator looking for a key mismatch.
    /// </summary>
    /// <param name="sent">The values of the metadata.</param>
    public static bool CarriesNoKey(StringValues sent)
    {
        foreach (var value in sent)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the <c>x-api-key</c> metadata <paramref name="sent"/> was sent more than once: as several header fields,
    /// or as one field with a comma-separated list of values (how HTTP clients and proxies join repeated fields). Asked
    /// only of a value that did not match, so a key with a comma in it still passes; the answer depends on the shape of
    /// the sent values alone, never on the key.
    /// </summary>
    /// <param name="sent">The values of the metadata.</param>
    public static bool SentMoreThanOnce(StringValues sent)
    {
        if (sent.Count > 1)
        {
            return true;
        }

        var value = sent.Count == 1 ? sent[0] : null;
        if (value is null || !value.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        var parts = 0;
        foreach (var part in value.Split(','))
        {
            if (!string.IsNullOrWhiteSpace(part))
            {
                parts++;
            }
        }

        return parts > 1;
    }

    /// <summary>
    /// The caller a matching key stands for, as <c>HttpContext.User</c>: authenticated by <paramref name="scheme"/>, with
    /// the scheme's name as its name. A new one per call, since hooks may add to it.
    /// </summary>
    public static ClaimsPrincipal Caller(string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, scheme)], scheme));

    /// <summary>Whether <paramref name="sent"/> is <paramref name="key"/>, in a time that depends on the sent length only.</summary>
    /// <param name="sent">The value the caller sent.</param>
    /// <param name="key">The configured key.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public bool Matches(string sent, string key)
    {
        var padded = Padded(key);
        if (sent.Length > padded.Length)
        {
            return false;
        }

        // The sent value padded the same way, over the whole vectors its length covers.
        var covered = (sent.Length + s_lanes - 1) / s_lanes * s_lanes;
        Span<char> copy = covered <= PaddedLength ? stackalloc char[covered] : new char[covered];
        copy.Clear();
        sent.CopyTo(copy);

        ref var sentStart = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(copy));
        ref var keyStart = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetArrayDataReference(padded));
        var differences = Vector128<ushort>.Zero;
        for (var i = 0; i < covered; i += s_lanes)
        {
            differences |= Vector128.LoadUnsafe(ref sentStart, (nuint)i) ^ Vector128.LoadUnsafe(ref keyStart, (nuint)i);
        }

        differences |= Vector128.Create((ushort)(sent.Length ^ key.Length)) | Vector128.Create((ushort)((sent.Length ^ key.Length) >> 16));
        return differences == Vector128<ushort>.Zero;
    }

    /// <summary>The key's characters padded with zeros to <see cref="PaddedLength"/> (or the key's length rounded up to whole vectors), made once per key.</summary>
    internal char[] Padded(string key)
    {
        if (Volatile.Read(ref _padded) is { } cached && ReferenceEquals(cached.Item1, key))
        {
            return cached.Item2;
        }

        var padded = new char[Math.Max(PaddedLength, (key.Length + s_lanes - 1) / s_lanes * s_lanes)];
        key.CopyTo(padded);
        Volatile.Write(ref _padded, Tuple.Create(key, padded));
        return padded;
    }
}

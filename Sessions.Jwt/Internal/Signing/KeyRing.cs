using System.Text;

namespace Sessions.Jwt.Internal.Signing;

/// <summary>
/// The compiled form of a <see cref="SessionKeySet"/>: keys found by <c>kid</c> bytes without allocating, the key for
/// tokens without <c>kid</c>, and the signing key.
/// </summary>
internal sealed class KeyRing : IDisposable
{
    private readonly RingKey[] _keys;

    public KeyRing(SessionKeySet keySet)
    {
        KeySet = keySet;
        _keys = keySet.Keys.Select(RingKey.Create).ToArray();
        WithoutId = _keys.FirstOrDefault(k => k.KidUtf8 is null);
        Signer = keySet.SigningKey is null ? null : _keys.First(k => ReferenceEquals(k.Key, keySet.SigningKey));
    }

    public SessionKeySet KeySet { get; }

    /// <summary>The key that signs; <see langword="null"/> for a validation-only ring.</summary>
    public RingKey? Signer { get; }

    /// <summary>The key for tokens without <c>kid</c>; <see langword="null"/> when every key has an id.</summary>
    public RingKey? WithoutId { get; }

    /// <summary>Finds the key whose own header is exactly <paramref name="encodedHeader"/> (base64url), or <see langword="null"/>.</summary>
    public RingKey? FindByEncodedHeader(ReadOnlySpan<char> encodedHeader)
    {
        foreach (var key in _keys)
        {
            var expected = key.EncodedHeader;
            if (encodedHeader.Length == expected.Length && Ascii.Equals(encodedHeader, expected))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>Finds the key whose id is <paramref name="kid"/> (unescaped UTF-8).</summary>
    public RingKey? Find(ReadOnlySpan<byte> kid)
    {
        foreach (var key in _keys)
        {
            if (key.KidUtf8 is { } id && kid.SequenceEqual(id))
            {
                return key;
            }
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }
}

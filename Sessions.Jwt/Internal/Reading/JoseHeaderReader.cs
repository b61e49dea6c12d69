using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Sessions.Jwt.Internal.Signing;

namespace Sessions.Jwt.Internal.Reading;

/// <summary>
/// Reads a decoded JOSE header strictly (RFC 7515, section 4) and picks the key: one JSON object with unique member
/// names; <c>kid</c> names a key of the ring (no <c>kid</c> names the key without id); <c>alg</c> is exactly the
/// algorithm that key is pinned to; no <c>crit</c> (we implement no extension, so any listed one must be refused);
/// <c>typ</c> absent or <c>JWT</c>. Other members (<c>jku</c>, <c>x5u</c>, <c>jwk</c>...) are ignored as the RFC
/// requires: they are never followed, so they cannot steer which key is used.
/// </summary>
internal static class JoseHeaderReader
{
    private const int MaxMembers = 32;

    public static HeaderCheck Check(ReadOnlySpan<byte> header, KeyRing ring, out RingKey? key)
    {
        key = null;
        try
        {
            return CheckCore(header, ring, out key);
        }
        catch (JsonException)
        {
            return HeaderCheck.Malformed;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader refuses escapes that decode to invalid UTF-16 (a lone surrogate) this way.
            return HeaderCheck.Malformed;
        }
    }

    /// <summary>
    /// Whether the JOSE header of <paramref name="token"/> has a <c>kid</c> member; <see langword="true"/> also when the
    /// header cannot be read, so that a caller deciding whether a key source could know the key asks it, as it would
    /// for any other token.
    /// </summary>
    public static bool NamesKeyId(string token)
    {
        var end = token.IndexOf('.', StringComparison.Ordinal);
        if (end <= 0)
        {
            return true;
        }

        var encoded = token.AsSpan(0, end);
        var rented = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(encoded.Length));
        try
        {
            if (Base64Url.DecodeFromChars(encoded, rented, out _, out var written) != OperationStatus.Done)
            {
                return true;
            }

            var reader = new Utf8JsonReader(rented.AsSpan(0, written), new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return true;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("kid"u8))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }

            return false;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static HeaderCheck CheckCore(ReadOnlySpan<byte> header, KeyRing ring, out RingKey? key)
    {
        key = null;
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return HeaderCheck.Malformed;
        }

        Span<int> names = stackalloc int[MaxMembers * 2];
        var count = 0;
        var algorithm = JwsAlgorithms.Unknown;
        var seenKid = false;
        var result = HeaderCheck.Ok;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (count == MaxMembers || reader.ValueIsEscaped)
            {
                // No header we issue or accept needs escaped names or dozens of members; refusing them keeps the
                // duplicate check exact without allocating.
                return HeaderCheck.Malformed;
            }

            var name = reader.ValueSpan;
            for (var i = 0; i < count; i++)
            {
                if (header.Slice(names[2 * i], names[(2 * i) + 1]).SequenceEqual(name))
                {
                    return HeaderCheck.Malformed;
                }
            }

            names[2 * count] = checked((int)reader.TokenStartIndex + 1);
            names[(2 * count) + 1] = name.Length;
            count++;

            if (name.SequenceEqual("alg"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return HeaderCheck.Malformed;
                }

                algorithm = JwsAlgorithms.IdOf(ref reader);
            }
            else if (name.SequenceEqual("typ"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return HeaderCheck.Malformed;
                }

                // Media types compare case-insensitively (RFC 7515, section 4.1.9).
                if (!IsJwtType(ref reader))
                {
                    result = First(result, HeaderCheck.UnsupportedHeader);
                }
            }
            else if (name.SequenceEqual("crit"u8))
            {
                reader.Read();
                JsonValueSkipper.Skip(ref reader);
                result = First(result, HeaderCheck.UnsupportedHeader);
            }
            else if (name.SequenceEqual("kid"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return HeaderCheck.Malformed;
                }

                seenKid = true;
                key = reader.ValueIsEscaped ? ring.Find(Encoding.UTF8.GetBytes(reader.GetString()!)) : ring.Find(reader.ValueSpan);
            }
            else
            {
                reader.Read();
                JsonValueSkipper.Skip(ref reader);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return HeaderCheck.Malformed;
        }

        if (algorithm == JwsAlgorithms.Unknown)
        {
            key = null;
            return HeaderCheck.UnsupportedAlgorithm;
        }

        if (result != HeaderCheck.Ok)
        {
            key = null;
            return result;
        }

        if (!seenKid)
        {
            key = ring.WithoutId;
        }

        if (key is null)
        {
            return HeaderCheck.UnknownKey;
        }

        // The key decides the algorithm, never the token: an HS256 token naming an RSA key is refused here, before
        // any signature check could use public key bytes as an HMAC secret.
        if (key.AlgorithmId != algorithm)
        {
            key = null;
            return HeaderCheck.UnsupportedAlgorithm;
        }

        return HeaderCheck.Ok;
    }

    private static bool IsJwtType(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return string.Equals(reader.GetString(), "JWT", StringComparison.OrdinalIgnoreCase);
        }

        var value = reader.ValueSpan;
        return value.Length == 3 && (value[0] | 0x20) == 'j' && (value[1] | 0x20) == 'w' && (value[2] | 0x20) == 't';
    }

    private static HeaderCheck First(HeaderCheck current, HeaderCheck found) => current == HeaderCheck.Ok ? found : current;
}

using System.Text.Json;

namespace Sessions.Jwt.Internal;

/// <summary>
/// Reads a decoded JOSE header strictly (RFC 7515, section 4): one JSON object, unique member names, <c>alg</c>
/// exactly the pinned algorithm, no <c>crit</c> (we implement no extension, so any listed one must be refused),
/// <c>typ</c> absent or <c>JWT</c>. Other members (<c>jku</c>, <c>x5u</c>, <c>jwk</c>...) are ignored as the RFC
/// requires: they are never followed, so they cannot steer which key is used.
/// </summary>
internal static class JoseHeaderReader
{
    private const int MaxMembers = 32;

    public static HeaderCheck Check(ReadOnlySpan<byte> header, ReadOnlySpan<byte> algorithm)
    {
        try
        {
            return CheckCore(header, algorithm);
        }
        catch (JsonException)
        {
            return HeaderCheck.Malformed;
        }
    }

    private static HeaderCheck CheckCore(ReadOnlySpan<byte> header, ReadOnlySpan<byte> algorithm)
    {
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return HeaderCheck.Malformed;
        }

        Span<int> names = stackalloc int[MaxMembers * 2];
        var count = 0;
        var algorithmOk = false;
        var seenAlgorithm = false;
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
            var start = checked((int)reader.TokenStartIndex + 1);
            for (var i = 0; i < count; i++)
            {
                if (header.Slice(names[2 * i], names[(2 * i) + 1]).SequenceEqual(name))
                {
                    return HeaderCheck.Malformed;
                }
            }

            names[2 * count] = start;
            names[(2 * count) + 1] = name.Length;
            count++;

            if (name.SequenceEqual("alg"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return HeaderCheck.Malformed;
                }

                seenAlgorithm = true;
                algorithmOk = reader.ValueTextEquals(algorithm);
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
                    result = Worst(result, HeaderCheck.UnsupportedHeader);
                }
            }
            else if (name.SequenceEqual("crit"u8))
            {
                reader.Read();
                reader.Skip();
                result = Worst(result, HeaderCheck.UnsupportedHeader);
            }
            else if (name.SequenceEqual("kid"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return HeaderCheck.Malformed;
                }

                // The key is one HS256 secret without an identifier: a token naming a key names one we do not have.
                result = Worst(result, HeaderCheck.UnknownKey);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return HeaderCheck.Malformed;
        }

        if (!seenAlgorithm || !algorithmOk)
        {
            return HeaderCheck.UnsupportedAlgorithm;
        }

        return result;
    }

    private static bool IsJwtType(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            var text = reader.GetString();
            return string.Equals(text, "JWT", StringComparison.OrdinalIgnoreCase);
        }

        var value = reader.ValueSpan;
        return value.Length == 3 && (value[0] | 0x20) == 'j' && (value[1] | 0x20) == 'w' && (value[2] | 0x20) == 't';
    }

    // The first problem found wins, so the reason does not depend on member order more than it must.
    private static HeaderCheck Worst(HeaderCheck current, HeaderCheck found) => current == HeaderCheck.Ok ? found : current;
}

using System.Text;
using System.Text.Json;

namespace Sessions.Jwt.Internal.Reading;

/// <summary>
/// Reads the custom claims of a validated payload into <see cref="SessionClaims"/>: strings, integers, numbers,
/// booleans and string arrays as themselves, anything else as its JSON text.
/// </summary>
internal static class CustomClaimsReader
{
    public static SessionClaims Read(ReadOnlySpan<byte> payload, int expected)
    {
        var claims = new SessionClaims();
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 64 });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Registered names are skipped without turning them into strings.
            if (!reader.ValueIsEscaped && IsRegistered(reader.ValueSpan))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            var name = reader.GetString()!;
            reader.Read();
            if (SessionClaimNames.IsRegistered(name))
            {
                reader.Skip();
                continue;
            }

            claims.Add(name, ReadValue(ref reader, payload));
        }

        System.Diagnostics.Debug.Assert(claims.Count == expected, "The scanner and the reader must agree on the custom claims.");
        return claims.AsReadOnly();
    }

    /// <summary>Reads every member of one JSON object (a stored claim set) as a claim.</summary>
    /// <exception cref="JsonException">The text is not one JSON object, or names a member twice.</exception>
    public static SessionClaims ReadObject(ReadOnlySpan<byte> json)
    {
        var claims = new SessionClaims();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The stored claims are not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (claims.ContainsKey(name))
            {
                throw new JsonException($"The stored claims name '{name}' twice.");
            }

            claims.Add(name, ReadValue(ref reader, json));
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("The stored claims are not one JSON object.");
        }

        return claims.AsReadOnly();
    }

    private static bool IsRegistered(ReadOnlySpan<byte> name) =>
        name.Length == 3 && (name.SequenceEqual("iss"u8) || name.SequenceEqual("aud"u8) || name.SequenceEqual("sub"u8) ||
            name.SequenceEqual("jti"u8) || name.SequenceEqual("iat"u8) || name.SequenceEqual("nbf"u8) || name.SequenceEqual("exp"u8));

    /// <summary>Reads the one custom claim called <paramref name="name"/>, allocating nothing for the others.</summary>
    public static bool TryReadOne(ReadOnlySpan<byte> payload, string name, out SessionClaimValue value)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(name.Length, 256))];
        var nameBytes = name.Length <= 256 ? utf8[..Encoding.UTF8.GetBytes(name, utf8)] : Encoding.UTF8.GetBytes(name);
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 64 });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(nameBytes);
            reader.Read();
            if (match)
            {
                value = ReadValue(ref reader, payload);
                return true;
            }

            reader.Skip();
        }

        value = default;
        return false;
    }

    private static SessionClaimValue ReadValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return SessionClaimValue.FromString(reader.GetString()!);
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var integer)
                    ? SessionClaimValue.FromInteger(integer)
                    : reader.TryGetDouble(out var number) && double.IsFinite(number)
                        ? SessionClaimValue.FromNumber(number)
                        : RawJson(ref reader, payload);
            case JsonTokenType.True:
                return SessionClaimValue.FromBoolean(true);
            case JsonTokenType.False:
                return SessionClaimValue.FromBoolean(false);
            case JsonTokenType.StartArray:
                var copy = reader;
                var strings = new List<string>();
                while (copy.Read() && copy.TokenType == JsonTokenType.String)
                {
                    strings.Add(copy.GetString()!);
                }

                if (copy.TokenType == JsonTokenType.EndArray)
                {
                    reader = copy;
                    return SessionClaimValue.FromStrings(strings);
                }

                return RawJson(ref reader, payload);
            default:
                return RawJson(ref reader, payload);
        }
    }

    private static SessionClaimValue RawJson(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        return SessionClaimValue.FromJson(Encoding.UTF8.GetString(payload[start..end]));
    }
}

using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Sessions.Lifecycle.Internal;

/// <summary>
/// The stored form of a refresh chain's custom claims (<see cref="RefreshChainRecord.Claims"/>): the text of one JSON
/// object, one member per claim, in order. Read back, every value has the kind a validator would give it.
/// </summary>
internal static class StoredClaims
{
    /// <summary>The JSON object text of <paramref name="claims"/>; <see langword="null"/> when there are none.</summary>
    public static string? Write(SessionClaims? claims)
    {
        if (claims is null || claims.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in claims)
            {
                writer.WritePropertyName(name);
                switch (value.Kind)
                {
                    case SessionClaimKind.String:
                        writer.WriteStringValue(value.AsString());
                        break;
                    case SessionClaimKind.Integer:
                        writer.WriteNumberValue(value.AsInteger());
                        break;
                    case SessionClaimKind.Number:
                        writer.WriteNumberValue(value.AsNumber());
                        break;
                    case SessionClaimKind.Boolean:
                        writer.WriteBooleanValue(value.AsBoolean());
                        break;
                    case SessionClaimKind.StringArray:
                        writer.WriteStartArray();
                        foreach (var item in value.AsStrings())
                        {
                            writer.WriteStringValue(item);
                        }

                        writer.WriteEndArray();
                        break;
                    case SessionClaimKind.Json:
                        writer.WriteRawValue(value.AsJson());
                        break;
                    default:
                        throw new ArgumentException($"The claim '{name}' has a value of unknown kind {value.Kind}.", nameof(claims));
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads the stored form back; <see langword="null"/> when there is none (or it is empty).</summary>
    /// <exception cref="JsonException">The text is not one JSON object.</exception>
    public static SessionClaims? Read(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The stored claims are not one JSON object.");
        }

        var claims = new SessionClaims();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            claims.Add(property.Name, ReadValue(property.Value));
        }

        return claims.Count == 0 ? null : claims;
    }

    // The kinds a validator gives the same JSON: integers that fit 64 bits stay integers, arrays of strings stay
    // string arrays, anything else is kept as its JSON text.
    private static SessionClaimValue ReadValue(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return SessionClaimValue.FromString(value.GetString()!);
            case JsonValueKind.Number:
                return value.TryGetInt64(out var integer)
                    ? SessionClaimValue.FromInteger(integer)
                    : value.TryGetDouble(out var number) && double.IsFinite(number)
                        ? SessionClaimValue.FromNumber(number)
                        : SessionClaimValue.FromJson(value.GetRawText());
            case JsonValueKind.True:
                return SessionClaimValue.FromBoolean(true);
            case JsonValueKind.False:
                return SessionClaimValue.FromBoolean(false);
            case JsonValueKind.Array when value.EnumerateArray().All(static item => item.ValueKind == JsonValueKind.String):
                return SessionClaimValue.FromStrings(value.EnumerateArray().Select(static item => item.GetString()!).ToArray());
            default:
                return SessionClaimValue.FromJson(value.GetRawText());
        }
    }
}

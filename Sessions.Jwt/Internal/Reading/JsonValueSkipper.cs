using System.Text.Json;
using Sessions.Internal;

namespace Sessions.Jwt.Internal.Reading;

/// <summary>
/// Skips a JSON value while proving every escaped string in it decodes to valid UTF-16, so a token we accept can
/// always have its claims read later. Unescaped strings were already checked by the UTF-8 validation of the whole
/// segment; only escapes (<c>\ud800</c>) can smuggle in a lone surrogate.
/// </summary>
internal static class JsonValueSkipper
{
    /// <exception cref="InvalidOperationException">An escape decodes to invalid UTF-16.</exception>
    /// <exception cref="JsonException">The JSON is invalid, nests too deep, or an object in it holds a member name twice.</exception>
    public static void Skip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            CheckEscapes(ref reader);
            return;
        }

        var depth = reader.CurrentDepth;
        var names = default(UniqueMemberNames);
        names.Observe(ref reader);
        while (reader.Read())
        {
            if (reader.CurrentDepth == depth)
            {
                return;
            }

            CheckEscapes(ref reader);
            names.Observe(ref reader);
        }
    }

    private static void CheckEscapes(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
        {
            // Throws InvalidOperationException for a lone surrogate; allocation only for the rare escaped string.
            _ = reader.GetString();
        }
    }
}

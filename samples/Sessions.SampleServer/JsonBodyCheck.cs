#if JSON_TRANSCODING
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Google.Protobuf.Reflection;
using Sessions.Internal;

namespace Sessions.SampleServer;

/// <summary>
/// Checks the JSON body of a transcoded call against its request message before JSON transcoding reads it, and says
/// what is wrong in words a <c>curl</c> user can act on. JSON transcoding accepts a key sent twice (the last one wins:
/// <c>{"user_id":"alice","user_id":"admin"}</c>, and <c>user_id</c> with <c>userId</c>), ignores unknown fields, and
/// answers most other mistakes with "Request JSON payload is not correctly formatted." or with the text of the exception
/// its converters threw (.NET type names, "Value cannot be null. (Parameter 'value')"). Everything this lets through
/// JSON transcoding reads as this checked it; everything it refuses, JSON transcoding would have misread or refused
/// without saying why.
/// </summary>
/// <remarks>
/// One pass of <see cref="Utf8JsonReader"/> over the buffered body, with the field lookups of <see cref="JsonMessageSchema"/>:
/// no value is copied except escaped strings and map keys. Values are never put into a message: a refused body's
/// secrets (a token, a refresh token) do not appear in the message, only field names and positions do. A name or key
/// the client sent is repeated only as <see cref="EchoedName"/> allows (short, of a name's characters): a secret sent
/// as a name (<c>{"&lt;refresh token&gt;":...}</c>) is described by its length instead.
/// </remarks>
internal static class JsonBodyCheck
{
    /// <summary>How deep objects and arrays may nest: far deeper than any request message goes.</summary>
    public const int MaxDepth = 32;

    /// <summary>Checks a body.</summary>
    /// <param name="body">The whole body, as received.</param>
    /// <param name="schema">The request message.</param>
    /// <param name="rpc">The method's name (<c>Create</c>), for messages.</param>
    /// <returns><see langword="null"/> when JSON transcoding can read the body as it is; otherwise the message for the caller.</returns>
    public static string? Check(in ReadOnlySequence<byte> body, JsonMessageSchema schema, string rpc) =>
        body.IsSingleSegment ? Check(body.FirstSpan, schema, rpc) : Check(body.ToArray(), schema, rpc);

    private static string? Check(ReadOnlySpan<byte> body, JsonMessageSchema schema, string rpc)
    {
        if (!Utf8.IsValid(body))
        {
            return $"The body is not valid UTF-8 (byte {FirstInvalidUtf8(body) + 1}): send JSON text encoded as UTF-8. {Takes(schema, rpc)}";
        }

        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];   // a byte order mark, which JSON transcoding skips too
        }

        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return $"The body is empty. {Takes(schema, rpc)}";
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth + 2 });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return $"The body is {Kind(reader.TokenType)}, not a JSON object. {Takes(schema, rpc)}";
            }

            if (CheckObject(ref reader, schema, null, rpc) is { } error)
            {
                return error;
            }
        }
        catch (JsonException ex)
        {
            return $"The body is not valid JSON: {Where(ex)}. {Takes(schema, rpc)} Check the quotes, commas and brackets there.";
        }

        try
        {
            return reader.Read() ? TrailingContent(reader.TokenStartIndex) : null;
        }
        catch (JsonException ex)
        {
            return $"The body goes on after its JSON object ({Where(ex)}): send one JSON object and nothing after it.";
        }
    }

    private static string TrailingContent(long index) =>
        $"The body goes on after its JSON object (byte {index + 1}): send one JSON object and nothing after it.";

    // Reader at the StartObject of a message; leaves it at its EndObject.
    private static string? CheckObject(ref Utf8JsonReader reader, JsonMessageSchema schema, string? path, string rpc)
    {
        if (reader.CurrentDepth >= MaxDepth)
        {
            return TooDeep(path);
        }

        Span<byte> seen = schema.Fields.Length <= 128 ? stackalloc byte[schema.Fields.Length] : new byte[schema.Fields.Length];
        seen.Clear();
        Span<int> oneofs = schema.OneofCount <= 32 ? stackalloc int[schema.OneofCount] : new int[schema.OneofCount];
        oneofs.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryFindField(ref reader, schema, out var index, out var unknown))
            {
                return unknown is null
                    ? $"{Where(path, rpc)} has a field name that is not valid text (a \\u escape of half a surrogate pair): fix the name."
                    : $"{Where(path, rpc)} has an {EchoedName.Describe("unknown field", unknown)}: {(path is null ? rpc + " takes" : "it takes")} the fields {schema.FieldList} "
                      + "(or their lowerCamelCase JSON names). Check the spelling, or leave the field out.";
            }

            var field = schema.Fields[index];
            if (seen[index] != 0)
            {
                return field.JsonName == field.Name
                    ? $"{Where(path, rpc)} has the field {field.Name} twice: send each field once."
                    : $"{Where(path, rpc)} has the field {field.Name} twice ({field.Name} and {field.JsonName} are the same field): send each field once.";
            }

            seen[index] = 1;
            if (field.RealContainingOneof is { } oneof)
            {
                if (oneofs[oneof.Index] != 0)
                {
                    var other = schema.Fields[oneofs[oneof.Index] - 1];
                    return $"{Where(path, rpc)} has both {other.Name} and {field.Name}, which are alternatives (oneof {oneof.Name}): send only one of them.";
                }

                oneofs[oneof.Index] = index + 1;
            }

            reader.Read();
            if (CheckField(ref reader, field, schema.Children[index], Child(path, field.Name)) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static bool TryFindField(ref Utf8JsonReader reader, JsonMessageSchema schema, out int index, out string? unknown)
    {
        unknown = null;
        index = -1;
        try
        {
            // An unescaped name is at most as many chars as it has bytes.
            var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (length <= 128)
            {
                Span<char> name = stackalloc char[128];
                var written = reader.CopyString(name);
                if (schema.TryGetField(name[..written], out index))
                {
                    return true;
                }

                unknown = name[..written].ToString();
                return false;
            }

            unknown = reader.GetString()!;
            return schema.TryGetField(unknown, out index);
        }
        catch (InvalidOperationException)
        {
            return false;   // an escaped lone surrogate
        }
    }

    // Reader at the field's value.
    private static string? CheckField(ref Utf8JsonReader reader, FieldDescriptor field, JsonMessageSchema? child, string path)
    {
        if (field.IsMap)
        {
            return CheckMap(ref reader, field, child, path);
        }

        if (field.IsRepeated)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return WrongType(path, "a JSON array", reader.TokenType, nullHint: true);
            }

            if (reader.CurrentDepth >= MaxDepth)
            {
                return TooDeep(path);
            }

            for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
            {
                if (CheckValue(ref reader, field, child, $"{path}[{i}]", allowNull: false) is { } error)
                {
                    return error;
                }
            }

            return null;
        }

        return CheckValue(ref reader, field, child, path, allowNull: true);
    }

    private static string? CheckMap(ref Utf8JsonReader reader, FieldDescriptor field, JsonMessageSchema? child, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return WrongType(path, "a JSON object", reader.TokenType, nullHint: true);
        }

        if (reader.CurrentDepth >= MaxDepth)
        {
            return TooDeep(path);
        }

        var keyField = field.MessageType.FindFieldByNumber(1);
        var valueField = field.MessageType.FindFieldByNumber(2);
        HashSet<string>? keys = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key;
            try
            {
                key = reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                return $"{path} has a key that is not valid text (a \\u escape of half a surrogate pair): fix the key.";
            }

            if (!(keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(key))
            {
                return $"{path} has the {EchoedName.Describe("key", key)} twice: send each key once.";
            }

            if (!IsValidKey(keyField.FieldType, key))
            {
                return $"{path} has the {EchoedName.Describe("key", key)}, which is not {Expected(keyField)}: fix the key.";
            }

            reader.Read();
            if (CheckValue(ref reader, valueField, child, Entry(path, key), allowNull: false) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    // Reader at a single value (a singular field, an element, a map value).
    private static string? CheckValue(ref Utf8JsonReader reader, FieldDescriptor field, JsonMessageSchema? child, string path, bool allowNull)
    {
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            // JSON transcoding reads null as the default value of a field, and throws on null in a list or as a map value.
            return allowNull ? null : $"{path} is null: it must be {Expected(field)}.";
        }

        var fits = field.FieldType switch
        {
            FieldType.String or FieldType.Bytes => token == JsonTokenType.String && IsValidText(ref reader),
            FieldType.Bool => token is JsonTokenType.True or JsonTokenType.False,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => IsInteger(ref reader, long.MinValue, long.MaxValue),
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => IsInteger(ref reader, int.MinValue, int.MaxValue),
            FieldType.UInt64 or FieldType.Fixed64 => IsUnsigned(ref reader, ulong.MaxValue),
            FieldType.UInt32 or FieldType.Fixed32 => IsUnsigned(ref reader, uint.MaxValue),
            FieldType.Double or FieldType.Float => IsNumber(ref reader),
            FieldType.Enum => token is JsonTokenType.String or JsonTokenType.Number,
            _ => token == JsonTokenType.StartObject,   // a message
        };
        if (!fits)
        {
            return (token, field.FieldType) switch
            {
                (JsonTokenType.String, FieldType.String or FieldType.Bytes) => $"{path} is not valid text (a \\u escape of half a surrogate pair): fix the string.",
                // A number out of range or with a fraction, a string that is not one: the kind was right, the value not.
                (JsonTokenType.Number or JsonTokenType.String, not (FieldType.String or FieldType.Bytes or FieldType.Bool or FieldType.Message or FieldType.Group or FieldType.Enum)) =>
                    $"{path} must be {Expected(field)}.",
                _ => WrongType(path, Expected(field), token, nullHint: false),
            };
        }

        if (token != JsonTokenType.StartObject)
        {
            return null;
        }

        return child is null ? CheckAnyJson(ref reader, path) : CheckObject(ref reader, child, path, path);
    }

    // A well-known type (google.protobuf.Struct, Timestamp, ...): its JSON form is its own; keys once, depth bounded.
    private static string? CheckAnyJson(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return null;
        }

        if (reader.CurrentDepth >= MaxDepth)
        {
            return TooDeep(path);
        }

        var isObject = reader.TokenType == JsonTokenType.StartObject;
        HashSet<string>? keys = null;
        while (reader.Read() && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
        {
            if (isObject)
            {
                var key = reader.GetString()!;
                if (!(keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(key))
                {
                    return $"{path} has the {EchoedName.Describe("key", key)} twice: send each key once.";
                }

                reader.Read();
            }

            if (CheckAnyJson(ref reader, path) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static bool IsValidText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return true;   // the body is valid UTF-8, so is every unescaped string in it
        }

        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // As JSON transcoding reads 64-bit and 32-bit integers: a JSON number without fraction or exponent, or a string
    // that long.Parse takes.
    private static bool IsInteger(ref Utf8JsonReader reader, long min, long max) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.TryGetInt64(out var n) && n >= min && n <= max,
        JsonTokenType.String => IsValidText(ref reader) && long.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max,
        _ => false,
    };

    private static bool IsUnsigned(ref Utf8JsonReader reader, ulong max) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.TryGetUInt64(out var n) && n <= max,
        JsonTokenType.String => IsValidText(ref reader) && ulong.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n <= max,
        _ => false,
    };

    // A JSON number, or the strings proto3 JSON uses for the values JSON has no number for.
    private static bool IsNumber(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.TryGetDouble(out _),
        JsonTokenType.String => reader.ValueTextEquals("NaN"u8) || reader.ValueTextEquals("Infinity"u8) || reader.ValueTextEquals("-Infinity"u8),
        _ => false,
    };

    private static bool IsValidKey(FieldType type, string key) => type switch
    {
        FieldType.Bool => key is "true" or "false",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 =>
            long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            && (type is FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 || n is >= int.MinValue and <= int.MaxValue),
        FieldType.UInt64 or FieldType.Fixed64 or FieldType.UInt32 or FieldType.Fixed32 =>
            ulong.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && (type is FieldType.UInt64 or FieldType.Fixed64 || n <= uint.MaxValue),
        _ => true,
    };

    private static string Expected(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => "a JSON string",
        FieldType.Bytes => "a JSON string (base64)",
        FieldType.Bool => "true or false",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => "a whole number from -9223372036854775808 to 9223372036854775807 (a JSON number, or a string of digits)",
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => "a whole number from -2147483648 to 2147483647 (a JSON number, or a string of digits)",
        FieldType.UInt64 or FieldType.Fixed64 => "a whole number from 0 to 18446744073709551615 (a JSON number, or a string of digits)",
        FieldType.UInt32 or FieldType.Fixed32 => "a whole number from 0 to 4294967295 (a JSON number, or a string of digits)",
        FieldType.Double or FieldType.Float => "a JSON number (or \"NaN\", \"Infinity\", \"-Infinity\")",
        FieldType.Enum => "the name of a value, as a JSON string",
        _ => "a JSON object",
    };

    private static string WrongType(string path, string expected, JsonTokenType token, bool nullHint) =>
        token == JsonTokenType.Null && nullHint
            ? $"{path} is null: it must be {expected}; leave the field out to send none."
            : $"{path} must be {expected}, not {Kind(token)}.";

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "a JSON object",
        JsonTokenType.StartArray => "a JSON array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "something else",
    };

    private static string TooDeep(string? path) =>
        $"{path ?? "The body"} nests objects or arrays deeper than {MaxDepth} levels: no request of this service goes near that deep; send the fields the method takes.";

    private static string Takes(JsonMessageSchema schema, string rpc) => schema.Fields.Length == 0
        ? $"{rpc} takes an empty JSON object, {{}}."
        : $"{rpc} takes one JSON object with the fields {schema.FieldList}, e.g. {{\"{schema.Fields[0].Name}\":...}}.";

    private static string Where(string? path, string rpc) => path is null ? $"The body of {rpc}" : path;

    private static string Where(JsonException ex) =>
        ex.LineNumber is { } line && ex.BytePositionInLine is { } position
            ? $"line {line + 1}, byte {position + 1}"
            : "near its end";

    private static string Child(string? path, string name) => path is null ? name : $"{path}.{name}";

    // A map's entry: claims["role"], or claims[a key of 64 characters] for a key EchoedName does not repeat.
    private static string Entry(string path, string key) =>
        EchoedName.IsEchoed(key) ? $"{path}[\"{key}\"]" : $"{path}[a {EchoedName.Describe("key", key)}]";

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> body)
    {
        var offset = 0;
        while (offset < body.Length)
        {
            if (Rune.DecodeFromUtf8(body[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }
}
#endif

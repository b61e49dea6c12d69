using System.Text;
using System.Text.Json;

namespace Sessions.Jwt.Tests.Differential;

/// <summary>
/// The members of one JSON object kept as raw text (names still escaped, values exactly as written), so a mutation
/// can duplicate, escape, reorder or retype members and write bytes no serializer would.
/// </summary>
internal sealed class JsonMembers
{
    private readonly List<KeyValuePair<string, string>> _items;

    private JsonMembers(List<KeyValuePair<string, string>> items) => _items = items;

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    public static JsonMembers Parse(ReadOnlySpan<byte> json)
    {
        var items = new List<KeyValuePair<string, string>>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Encoding.UTF8.GetString(reader.ValueSpan);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            items.Add(new(name, Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed])));
        }

        return new JsonMembers(items);
    }

    public JsonMembers Clone() => new([.. _items]);

    public int IndexOf(string rawName) => _items.FindIndex(item => item.Key == rawName);

    public string? ValueOf(string rawName) => IndexOf(rawName) is var i and >= 0 ? _items[i].Value : null;

    /// <summary>Replaces the value of <paramref name="rawName"/> where it is, or appends the member.</summary>
    public JsonMembers With(string rawName, string rawValue)
    {
        var copy = Clone();
        var index = copy.IndexOf(rawName);
        if (index >= 0)
        {
            copy._items[index] = new(rawName, rawValue);
        }
        else
        {
            copy._items.Add(new(rawName, rawValue));
        }

        return copy;
    }

    public JsonMembers Without(string rawName)
    {
        var copy = Clone();
        copy._items.RemoveAll(item => item.Key == rawName);
        return copy;
    }

    /// <summary>Appends a member even if the name is already there.</summary>
    public JsonMembers Append(string rawName, string rawValue)
    {
        var copy = Clone();
        copy._items.Add(new(rawName, rawValue));
        return copy;
    }

    public JsonMembers Rename(int index, string rawName)
    {
        var copy = Clone();
        copy._items[index] = new(rawName, copy._items[index].Value);
        return copy;
    }

    public string ToJson(string comma = ",", string colon = ":", string open = "{", string close = "}") =>
        open + string.Join(comma, _items.Select(item => "\"" + item.Key + "\"" + colon + item.Value)) + close;
}

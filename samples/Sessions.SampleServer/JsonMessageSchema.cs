#if JSON_TRANSCODING
using Google.Protobuf.Reflection;

namespace Sessions.SampleServer;

/// <summary>
/// What <see cref="JsonBodyCheck"/> needs to know of a request message: its fields by the names JSON transcoding reads
/// them under (the proto name, <c>user_id</c>, and the JSON name, <c>userId</c>), its oneofs, and the schemas of the
/// messages its fields hold. Built once per method, on its first request.
/// </summary>
internal sealed class JsonMessageSchema
{
    private readonly Dictionary<string, int> _byName;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    private JsonMessageSchema(MessageDescriptor descriptor)
    {
        Fields = [.. descriptor.Fields.InFieldNumberOrder()];
        Children = new JsonMessageSchema?[Fields.Length];
        OneofCount = descriptor.Oneofs.Count;
        FieldList = string.Join(", ", Fields.Select(f => f.Name));
        _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Fields.Length; i++)
        {
            _byName[Fields[i].Name] = i;
            _byName[Fields[i].JsonName] = i;
        }

        _bySpan = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The fields, in field-number order.</summary>
    public FieldDescriptor[] Fields { get; }

    /// <summary>
    /// By the index of <see cref="Fields"/>: the schema of the message the field holds (for a map, of its values), or
    /// <see langword="null"/> when it holds no message or a well-known type (<c>google.protobuf.*</c>, which has a
    /// JSON form of its own and is checked only as JSON).
    /// </summary>
    public JsonMessageSchema?[] Children { get; }

    /// <summary>How many oneofs the message has (proto3 <c>optional</c> fields included; those never collide).</summary>
    public int OneofCount { get; }

    /// <summary>The proto names of the fields, for messages: <c>user_id, claims, with_refresh_token, ...</c>.</summary>
    public string FieldList { get; }

    /// <summary>Finds a field by the name a JSON body gives it.</summary>
    /// <param name="name">The property name, unescaped.</param>
    /// <param name="index">The index in <see cref="Fields"/>.</param>
    /// <returns>Whether the message has such a field.</returns>
    public bool TryGetField(ReadOnlySpan<char> name, out int index) => _bySpan.TryGetValue(name, out index);

    /// <summary>The schema of a request message and of every message under it.</summary>
    /// <param name="descriptor">The request message.</param>
    /// <returns>Its schema.</returns>
    public static JsonMessageSchema For(MessageDescriptor descriptor) => Build(descriptor, []);

    private static JsonMessageSchema Build(MessageDescriptor descriptor, Dictionary<MessageDescriptor, JsonMessageSchema> built)
    {
        if (built.TryGetValue(descriptor, out var existing))
        {
            return existing;   // a message that contains itself
        }

        var schema = new JsonMessageSchema(descriptor);
        built[descriptor] = schema;
        for (var i = 0; i < schema.Fields.Length; i++)
        {
            var field = schema.Fields[i];
            var held = field.IsMap ? field.MessageType.FindFieldByNumber(2) : field;
            if (held.FieldType is FieldType.Message or FieldType.Group && !IsWellKnown(held.MessageType))
            {
                schema.Children[i] = Build(held.MessageType, built);
            }
        }

        return schema;
    }

    private static bool IsWellKnown(MessageDescriptor descriptor) => descriptor.File.Package == "google.protobuf";
}
#endif

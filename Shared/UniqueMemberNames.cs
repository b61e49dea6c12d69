using System.Text.Json;

namespace Sessions.Internal;

/// <summary>
/// Follows the tokens of one JSON value and refuses an object that holds a member name twice, escaped spellings
/// included (<c>"a"</c> and <c>"\u0061"</c>). RFC 8259 leaves such an object's meaning to each parser, and parsers
/// differ (first wins, last wins, error): a claim one service reads as <c>"role":"user"</c> another would read as
/// <c>"role":"admin"</c>. Keeps a set of names per open object, and nothing for arrays (a member name always belongs
/// to the innermost open object), so it allocates nothing for values without objects, string arrays included.
/// Linked into each package that reads JSON values (Shared/ at the repository root).
/// </summary>
internal struct UniqueMemberNames
{
    private Stack<HashSet<string>>? _openObjects;

    /// <summary>Takes the token <paramref name="reader"/> is on.</summary>
    /// <exception cref="JsonException">The token is a member name the object being read already holds.</exception>
    public void Observe(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                (_openObjects ??= new()).Push(new HashSet<string>(StringComparer.Ordinal));
                break;
            case JsonTokenType.EndObject:
                _openObjects?.Pop();
                break;
            case JsonTokenType.PropertyName when _openObjects?.Peek() is { } names:
                var name = reader.GetString()!;
                if (!names.Add(name))
                {
                    throw new JsonException($"The member name '{(name.Length <= 64 ? name : name[..64] + "…")}' appears twice in one object; member names must be unique.");
                }

                break;
        }
    }
}

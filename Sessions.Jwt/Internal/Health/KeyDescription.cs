using System.Text;

namespace Sessions.Jwt.Internal.Health;

/// <summary>How the health checks name keys: by id and algorithm only, never by material.</summary>
internal static class KeyDescription
{
    /// <summary>The most keys a description lists; a ring rarely holds more than three.</summary>
    private const int MaxListed = 5;

    /// <summary>A key as <c>'k1' (ES256)</c>, or <c>(no kid) (HS256)</c> for the key tokens name by omitting <c>kid</c>.</summary>
    public static string Describe(SessionKey key) => $"{(key.Id is null ? "(no kid)" : $"'{key.Id}'")} ({key.Algorithm})";

    /// <summary>The keys as <c>'k1' (ES256), 'k0' (ES256)</c>, the first <see cref="MaxListed"/> of them.</summary>
    public static string List(IReadOnlyList<SessionKey> keys)
    {
        var text = new StringBuilder();
        for (var i = 0; i < keys.Count && i < MaxListed; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(Describe(keys[i]));
        }

        if (keys.Count > MaxListed)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $" and {keys.Count - MaxListed} more");
        }

        return text.ToString();
    }

    /// <summary>An address without its query, fragment or user information, which may hold credentials.</summary>
    public static string Address(Uri uri) =>
        uri.IsAbsoluteUri ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : uri.ToString();
}

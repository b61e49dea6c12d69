using System.Buffers;

namespace Sessions.Internal;

/// <summary>
/// Whether a name a client sent (a query parameter's, a JSON field's, a map key, a claim's) may be repeated in a
/// message or a log line, and the words for it when not. A client that puts a secret where a name goes
/// (<c>?&lt;refresh token&gt;</c>, <c>{"&lt;token&gt;":...}</c>) must not get it back in an answer, nor have it written to
/// the log; a short honest mistake (<c>user_idd</c>) should still be named. So a name is repeated only when it is at
/// most <see cref="MaxLength"/> characters of those a field or parameter name is made of (ASCII letters and digits,
/// <c>_</c>, <c>-</c> and <c>.</c>); any other is described by its length alone.
/// </summary>
/// <remarks>
/// Those characters are one UTF-8 byte each, so a name repeated is at most <see cref="MaxLength"/> bytes: well below
/// the shortest secret the server accepts or issues (an API key of at least 32 bytes,
/// <c>SessionsApiKeyOptions.MinimumKeyBytes</c>; a refresh token of 64 characters; a session token, a JWT, of more
/// than a hundred). No secret is ever repeated in part: a name is repeated whole or not at all. The longest name of
/// sessions.proto (<c>client_description</c>) is 18 characters, and a misspelling of it still fits.
/// </remarks>
internal static class EchoedName
{
    /// <summary>The longest name repeated, in characters.</summary>
    public const int MaxLength = 24;

    private static readonly SearchValues<char> s_nameCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.");

    /// <summary>Whether <paramref name="name"/> may be repeated as it is.</summary>
    /// <param name="name">The name the client sent.</param>
    /// <returns><see langword="true"/> for a name of at most <see cref="MaxLength"/> name characters.</returns>
    public static bool IsEchoed(string name) =>
        name.Length <= MaxLength && !name.AsSpan().ContainsAnyExcept(s_nameCharacters);

    /// <summary>
    /// What to call a name in a message: <c>field 'user_idd'</c>, or <c>field of 64 characters</c> for one that is not
    /// repeated.
    /// </summary>
    /// <param name="what">What the name is (<c>query parameter</c>, <c>unknown field</c>), without an article.</param>
    /// <param name="name">The name the client sent.</param>
    /// <returns>The words, to follow an article (<c>The </c>, <c>an </c>) in the message.</returns>
    public static string Describe(string what, string name)
    {
        if (IsEchoed(name))
        {
            return $"{what} '{name}'";
        }

        var characters = CodePoints.Count(name);
        return $"{what} of {characters} {(characters == 1 ? "character" : "characters")}";
    }
}

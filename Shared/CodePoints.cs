namespace Sessions.Internal;

/// <summary>
/// The length of text in characters as a client in any language counts the UTF-8 text it sends: Unicode code points,
/// so that a character outside the Basic Multilingual Plane (an emoji, two UTF-16 code units) is one; a lone surrogate
/// counts as one. Used wherever a limit or a message says "characters".
/// </summary>
internal static class CodePoints
{
    /// <summary>The number of code points in <paramref name="text"/>.</summary>
    public static int Count(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}

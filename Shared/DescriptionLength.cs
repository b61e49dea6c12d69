namespace Sessions.Internal;

/// <summary>
/// The length of a client description as <see cref="RefreshChainRecord.MaxDescriptionLength"/> counts it: in characters,
/// as a client in any language counts the UTF-8 text it sends (Unicode code points), not in UTF-16 code units, so that a
/// character outside the Basic Multilingual Plane (an emoji, many CJK ideographs) counts once. Linked into each package
/// that checks a description (Shared/ at the repository root).
/// </summary>
internal static class DescriptionLength
{
    /// <summary>Whether <paramref name="description"/> is longer than the limit, and how many characters it holds.</summary>
    /// <param name="description">The description.</param>
    /// <param name="characters">Its length in characters (Unicode code points; a lone surrogate counts as one).</param>
    /// <returns><see langword="true"/> when it holds more than <see cref="RefreshChainRecord.MaxDescriptionLength"/> characters.</returns>
    public static bool IsTooLong(string description, out int characters)
    {
        characters = description.Length;
        if (characters <= RefreshChainRecord.MaxDescriptionLength)
        {
            // Never more characters than UTF-16 code units.
            return false;
        }

        characters = CodePoints.Count(description);
        return characters > RefreshChainRecord.MaxDescriptionLength;
    }
}

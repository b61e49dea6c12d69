namespace Sessions.Internal;

/// <summary>
/// What a key id (the <c>kid</c> of the tokens a key signs) may be: one rule for <c>SessionKey</c>, which refuses any
/// other, and for the key settings, which name the <c>Id</c> setting before anything repeats an id that breaks it.
/// Linked into each package that checks one (Shared/ at the repository root).
/// </summary>
internal static class KeyIds
{
    /// <summary>The longest key id, in characters: 128.</summary>
    public const int MaxLength = 128;

    /// <summary>Whether <paramref name="id"/> is 1 to <see cref="MaxLength"/> characters without control characters.</summary>
    /// <param name="id">The key id.</param>
    public static bool IsValid(string id) => id.Length is > 0 and <= MaxLength && !id.AsSpan().ContainsAnyInRange('\0', '\u001f');
}

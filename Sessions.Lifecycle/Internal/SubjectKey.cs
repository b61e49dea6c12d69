namespace Sessions.Lifecycle.Internal;

/// <summary>
/// The spelling under which a subject's revocation is kept and looked up. A subject that is a UUID names one user
/// however it is written (RFC 9562, section 4: upper or lower case; with braces, parentheses or no hyphens, as
/// <see cref="Guid.TryParse(string?, out Guid)"/> reads them, the reading the sessions service gives <c>user_id</c>):
/// it is kept in its canonical form, lower case with hyphens, which is how <c>Create</c> writes <c>sub</c>. So a
/// "log out everywhere" reaches a token another issuer wrote with <c>sub</c> in capitals. Any other subject is kept as
/// it is, compared by its exact text (RFC 7519, section 4.1.2).
/// </summary>
internal static class SubjectKey
{
    private const int CanonicalLength = 36;

    /// <summary>The subject's key: a UUID in its canonical spelling, anything else as it is.</summary>
    /// <param name="subject">The subject.</param>
    /// <returns>The key; <paramref name="subject"/> itself when it is already one.</returns>
    public static string Of(string subject) =>
        IsCanonicalUuid(subject) || !Guid.TryParse(subject, out var uuid) ? subject : uuid.ToString("D");

    // The sessions service's own subjects are canonical already: told apart without parsing them.
    private static bool IsCanonicalUuid(string subject)
    {
        if (subject.Length != CanonicalLength)
        {
            return false;
        }

        for (var i = 0; i < CanonicalLength; i++)
        {
            var c = subject[i];
            var valid = i is 8 or 13 or 18 or 23 ? c == '-' : char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c);
            if (!valid)
            {
                return false;
            }
        }

        return true;
    }
}

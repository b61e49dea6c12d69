namespace Sessions.Grpc.Internal.Authentication;

/// <summary>
/// Text for the <c>error_description</c> of a <c>WWW-Authenticate: Bearer</c> challenge, which RFC 6750 (section 3)
/// restricts to printable ASCII without <c>"</c> and <c>\</c>: any other character becomes <c>?</c>.
/// </summary>
internal static class ErrorDescription
{
    public static string Of(string text) => string.Create(text.Length, text, static (chars, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            chars[i] = c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?';
        }
    });
}

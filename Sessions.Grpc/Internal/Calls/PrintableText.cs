using System.Buffers;
using System.Globalization;
using System.Text;

namespace Sessions.Grpc.Internal.Calls;

/// <summary>
/// Text from a caller made safe for a line of a text log: a session id (<c>jti</c>) comes from the token, and a token
/// from a trusted issuer may hold any string there. A line break or a terminal escape in it would start a forged line
/// or recolour the console; such characters are written as <c>\uXXXX</c>. Ids made by this library never hold any.
/// </summary>
internal static class PrintableText
{
    // C0 controls, DEL, C1 controls (NEL among them) and the Unicode line and paragraph separators: what consoles and
    // log viewers treat as line breaks or escapes. And the backslash, so that an escape in the log is never ambiguous.
    private static readonly SearchValues<char> s_unprintable = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F\u2028\u2029\\");

    /// <summary><paramref name="text"/> itself when it holds nothing to escape (always, for ids of this library); else an escaped copy.</summary>
    public static string Of(string text)
    {
        var first = text.AsSpan().IndexOfAny(s_unprintable);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            if (s_unprintable.Contains(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}

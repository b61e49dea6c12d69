using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Sessions.Jwt.Internal.Writing;

/// <summary>
/// JSON string literals for the issuer's output. Plain printable ASCII is copied as it is; anything else goes through
/// <see cref="JsonEncodedText"/>, whose encoder takes milliseconds to initialise — a cost a process that only ever
/// writes user ids and key ids should not pay on its first token.
/// </summary>
internal static class JsonText
{
    // Characters that can be copied into a JSON string as they are: printable ASCII except '"' and '\'.
    private static readonly SearchValues<char> s_plain = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>Whether <paramref name="value"/> can be written inside quotes without escaping.</summary>
    public static bool IsPlain(ReadOnlySpan<char> value) => value.IndexOfAnyExcept(s_plain) < 0;

    /// <summary>The escaped UTF-8 content of the literal, without quotes.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not valid UTF-16 (a lone surrogate).</exception>
    public static byte[] Escape(string value) => IsPlain(value) ? Encoding.ASCII.GetBytes(value) : JsonEncodedText.Encode(value).EncodedUtf8Bytes.ToArray();

    /// <summary>The literal as UTF-8 bytes, quotes included.</summary>
    public static byte[] Quote(string value) => [(byte)'"', .. Escape(value), (byte)'"'];
}

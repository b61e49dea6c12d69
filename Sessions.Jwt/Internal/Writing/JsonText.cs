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

    // The longest text TryCopyPlain checks character by character.
    private const int ShortText = 16;

    /// <summary>Whether <paramref name="value"/> can be written inside quotes without escaping.</summary>
    public static bool IsPlain(ReadOnlySpan<char> value) => value.IndexOfAnyExcept(s_plain) < 0;

    /// <summary>
    /// Copies <paramref name="value"/> into <paramref name="destination"/> one byte per character if it is plain, and
    /// says whether it was; on <see langword="false"/> the destination holds a partial copy to be overwritten.
    /// </summary>
    /// <param name="value">The text.</param>
    /// <param name="destination">At least as many bytes as <paramref name="value"/> has characters.</param>
    public static bool TryCopyPlain(ReadOnlySpan<char> value, Span<byte> destination)
    {
        if (value.Length > ShortText)
        {
            if (!IsPlain(value))
            {
                return false;
            }

            Ascii.FromUtf16(value, destination, out _);
            return true;
        }

        // Claim names and values are mostly a few characters long, below the width the vectorised searches start
        // paying off at: one pass that checks and narrows each character costs a third of the two calls.
        destination = destination[..value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if ((uint)(c - ' ') > '~' - ' ' || c is '"' or '\\')
            {
                return false;
            }

            destination[i] = (byte)c;
        }

        return true;
    }

    /// <summary>The escaped UTF-8 content of the literal, without quotes.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not valid UTF-16 (a lone surrogate).</exception>
    public static byte[] Escape(string value) => IsPlain(value) ? Encoding.ASCII.GetBytes(value) : JsonEncodedText.Encode(value).EncodedUtf8Bytes.ToArray();

    /// <summary>The literal as UTF-8 bytes, quotes included.</summary>
    public static byte[] Quote(string value) => [(byte)'"', .. Escape(value), (byte)'"'];
}

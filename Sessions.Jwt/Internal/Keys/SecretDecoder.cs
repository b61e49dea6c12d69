using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Sessions.Jwt.Internal.Keys;

/// <summary>
/// Turns the configured secret text into key bytes: UTF-8 text as the original service did, or base64 after the
/// <c>base64:</c> prefix.
/// </summary>
internal static class SecretDecoder
{
    public static bool TryDecode(string secret, out byte[] key, out string? error)
    {
        if (!secret.StartsWith(JwtSessionOptions.Base64SecretPrefix, StringComparison.Ordinal))
        {
            key = Encoding.UTF8.GetBytes(secret);
            error = null;
            return true;
        }

        var encoded = secret.AsSpan(JwtSessionOptions.Base64SecretPrefix.Length).Trim();
        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length) + 3];
        if (Convert.TryFromBase64Chars(encoded, buffer, out var written))
        {
            key = buffer.AsSpan(0, written).ToArray();
            Array.Clear(buffer);
            error = null;
            return true;
        }

        // Base64Url only reports the status here; it does not throw on characters outside its alphabet.
        if (Base64Url.DecodeFromChars(encoded, buffer, out var consumed, out written) == System.Buffers.OperationStatus.Done && consumed == encoded.Length)
        {
            key = buffer.AsSpan(0, written).ToArray();
            Array.Clear(buffer);
            error = null;
            return true;
        }

        key = [];
        error = "is marked 'base64:' but what follows is not valid base64";
        return false;
    }

    /// <summary>
    /// Decodes a configured HS256 secret and checks its length: the one place that says what is wrong with a secret
    /// and how to fix it, naming <paramref name="setting"/> and never the value.
    /// </summary>
    /// <param name="secret">The configured text.</param>
    /// <param name="setting">The setting's name, e.g. <c>Sessions:Secret</c>.</param>
    /// <param name="key">The key bytes, when usable; the caller zeroes them.</param>
    /// <param name="error">Why the secret cannot be used.</param>
    /// <returns>Whether the secret is usable.</returns>
    public static bool TryDecodeKey(string secret, string setting, out byte[] key, [NotNullWhen(false)] out string? error)
    {
        // Long enough in bytes, but one repeated byte or two: an unset template variable padded with spaces, a file of
        // blank lines. No key at all, so refused rather than signed with.
        if (string.IsNullOrWhiteSpace(secret))
        {
            key = [];
            error = $"{setting} is white space only; HS256 needs a secret of at least {JwtSessionOptions.MinimumSecretBytes} bytes (256 bits). " +
                "Generate one with 'openssl rand -base64 32' and set it as 'base64:<output>'.";
            return false;
        }

        // Text whose bytes were not UTF-8 (a Latin-1 secret in the environment or in a file) reaches us with U+FFFD in
        // their place, and a lone surrogate would become one when encoded: the key would silently not be the bytes
        // that were set, and every token signed with those bytes elsewhere would be refused as a bad signature.
        if (!secret.StartsWith(JwtSessionOptions.Base64SecretPrefix, StringComparison.Ordinal) && IndexOfInvalidText(secret) is var invalid and >= 0)
        {
            key = [];
            var what = char.IsSurrogate(secret[invalid]) ? "a lone surrogate" : "U+FFFD";
            error = $"{setting} is not valid UTF-8: {what} at index {invalid} of its {secret.Length} characters (what bytes that are not UTF-8 " +
                "are read as, and what UTF-8 makes of a lone surrogate), so the key would not be the bytes that were set. Give those bytes as 'base64:' followed by their base64 " +
                "(printf %s \"$SECRET\" | base64 -w0).";
            return false;
        }

        if (!TryDecode(secret, out key, out var decodeError))
        {
            error = $"{setting} {decodeError}. Use 'base64:' followed by standard or URL-safe base64, or plain text without the prefix.";
            return false;
        }

        if (key.Length < JwtSessionOptions.MinimumSecretBytes)
        {
            error = $"{setting} is {key.Length} bytes; HS256 needs at least {JwtSessionOptions.MinimumSecretBytes} bytes (256 bits). " +
                "Use a longer secret, e.g. 'openssl rand -base64 32' set as 'base64:<output>'.";
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
            key = [];
            return false;
        }

        error = null;
        return true;
    }

    // The index of the first U+FFFD or lone surrogate (which UTF-8 encoding replaces with U+FFFD), or -1.
    private static int IndexOfInvalidText(string text)
    {
        var span = text.AsSpan();
        for (var i = 0; i < span.Length;)
        {
            if (Rune.DecodeFromUtf16(span[i..], out var rune, out var consumed) != System.Buffers.OperationStatus.Done || rune == Rune.ReplacementChar)
            {
                return i;
            }

            i += consumed;
        }

        return -1;
    }
}

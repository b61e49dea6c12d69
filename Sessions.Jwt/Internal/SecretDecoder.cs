using System.Buffers.Text;
using System.Text;

namespace Sessions.Jwt.Internal;

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
}

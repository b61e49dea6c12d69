using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sessions.Internal;

namespace Sessions.Lifecycle.Internal;

/// <summary>
/// Seals a refresh's reply so that the store can hand it back to every presentation of the same token within the
/// grace period (one successor per token) without being able to read it: AES-256-GCM under a key derived (HKDF-SHA256)
/// from the presented refresh token, which the store never sees (it keeps the token's hash only). The chain id and
/// the presented token's hash are the associated data, so a sealed reply opens only for the token it was made for.
/// </summary>
internal static class SuccessorSeal
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] KeyInfo = "sessions refresh successor v1"u8.ToArray();

    public static string Seal(string presentedToken, string chainId, string presentedHash, SuccessorReply reply)
    {
        var plaintext = ArrayPool<byte>.Shared.Rent(MaxPlainLength(reply));
        var sealedBytes = ArrayPool<byte>.Shared.Rent(NonceSize + TagSize + plaintext.Length);
        Span<byte> key = stackalloc byte[32];
        try
        {
            var length = Serialize(reply, plaintext);
            var nonce = sealedBytes.AsSpan(0, NonceSize);
            RandomBytes.Fill(nonce);
            DeriveKey(presentedToken, key);
            using (var aes = new AesGcm(key, TagSize))
            {
                aes.Encrypt(nonce, plaintext.AsSpan(0, length), sealedBytes.AsSpan(NonceSize + TagSize, length), sealedBytes.AsSpan(NonceSize, TagSize), AssociatedData(chainId, presentedHash, stackalloc byte[MaxStackBytes]));
            }

            return Base64Url.EncodeToString(sealedBytes.AsSpan(0, NonceSize + TagSize + length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            ArrayPool<byte>.Shared.Return(plaintext, clearArray: true);
            ArrayPool<byte>.Shared.Return(sealedBytes);
        }
    }

    public static bool TryOpen(string presentedToken, string chainId, string presentedHash, string sealedReply, out SuccessorReply? reply)
    {
        reply = null;
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(sealedReply);
        }
        catch (FormatException)
        {
            return false;
        }

        if (sealedBytes.Length <= NonceSize + TagSize)
        {
            return false;
        }

        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        Span<byte> key = stackalloc byte[32];
        DeriveKey(presentedToken, key);
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plaintext, AssociatedData(chainId, presentedHash, stackalloc byte[MaxStackBytes]));
            reply = Deserialize(plaintext);
            return reply is not null;
        }
        catch (CryptographicException)
        {
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    // The associated data and the token's bytes fit on the stack (chain ids, hashes and refresh tokens are short ASCII).
    private const int MaxStackBytes = 256;

    private static void DeriveKey(string presentedToken, Span<byte> key)
    {
        Span<byte> secret = presentedToken.Length <= MaxStackBytes ? stackalloc byte[MaxStackBytes] : new byte[presentedToken.Length];
        secret = secret[..Encoding.ASCII.GetBytes(presentedToken, secret)];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, key, salt: [], KeyInfo);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static ReadOnlySpan<byte> AssociatedData(string chainId, string presentedHash, Span<byte> stack)
    {
        var length = chainId.Length + 1 + presentedHash.Length;
        var buffer = length <= stack.Length ? stack[..length] : new byte[length];
        var written = Encoding.ASCII.GetBytes(chainId, buffer);
        buffer[written++] = (byte)'.';
        Encoding.ASCII.GetBytes(presentedHash, buffer[written..]);
        return buffer;
    }

    /// <summary>An upper bound of what <see cref="Serialize(SuccessorReply, Span{byte})"/> writes.</summary>
    private static int MaxPlainLength(SuccessorReply reply) =>
        // Field names, quotes and separators (about 60), three numbers of at most 20 digits, a GUID (36); every
        // character of a string at most 6 bytes once escaped.
        128 + 3 * 20 + 36 + 6 * (reply.RefreshToken.Length + reply.SessionToken.Length);

    /// <summary>
    /// Writes the reply as the JSON object <see cref="Deserialize"/> reads, in the same member order and form as
    /// <see cref="Utf8JsonWriter"/> writes it. Tokens are JWS compact serializations and base64url: nothing to escape,
    /// so they are copied as they are; any other text goes through <see cref="Utf8JsonWriter"/>.
    /// </summary>
    internal static int Serialize(SuccessorReply reply, Span<byte> destination)
    {
        if (!IsPlain(reply.RefreshToken) || !IsPlain(reply.SessionToken))
        {
            return SerializeWithWriter(reply, destination);
        }

        var position = 0;
        Append(destination, ref position, "{\"rt\":\""u8);
        position += Encoding.ASCII.GetBytes(reply.RefreshToken, destination[position..]);
        Append(destination, ref position, "\",\"rexp\":"u8);
        AppendNumber(destination, ref position, reply.RefreshExpiresAt.ToUnixTimeMilliseconds());
        Append(destination, ref position, ",\"t\":\""u8);
        position += Encoding.ASCII.GetBytes(reply.SessionToken, destination[position..]);
        Append(destination, ref position, "\",\"sid\":\""u8);
        reply.SessionId.TryFormat(destination[position..], out var written, "D");
        position += written;
        Append(destination, ref position, "\",\"iat\":"u8);
        AppendNumber(destination, ref position, reply.SessionIssuedAt.ToUnixTimeMilliseconds());
        Append(destination, ref position, ",\"exp\":"u8);
        AppendNumber(destination, ref position, reply.SessionExpiresAt.ToUnixTimeMilliseconds());
        destination[position++] = (byte)'}';
        return position;
    }

    /// <summary>The same object through <see cref="Utf8JsonWriter"/>, for text that needs escaping.</summary>
    internal static int SerializeWithWriter(SuccessorReply reply, Span<byte> destination)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("rt", reply.RefreshToken);
            writer.WriteNumber("rexp", reply.RefreshExpiresAt.ToUnixTimeMilliseconds());
            writer.WriteString("t", reply.SessionToken);
            writer.WriteString("sid", reply.SessionId);
            writer.WriteNumber("iat", reply.SessionIssuedAt.ToUnixTimeMilliseconds());
            writer.WriteNumber("exp", reply.SessionExpiresAt.ToUnixTimeMilliseconds());
            writer.WriteEndObject();
        }

        buffer.WrittenSpan.CopyTo(destination);
        var length = buffer.WrittenCount;
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsMemory(buffer.WrittenMemory).Span);
        return length;
    }

    /// <summary>
    /// Characters <see cref="Utf8JsonWriter"/> writes as they are: printable ASCII other than the quote, the backslash
    /// and the HTML-sensitive characters its default encoder escapes.
    /// </summary>
    private static readonly SearchValues<char> s_plain = SearchValues.Create(
        " !#$%()*,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~");

    private static bool IsPlain(string text) => !text.AsSpan().ContainsAnyExcept(s_plain);

    private static void Append(Span<byte> destination, ref int position, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[position..]);
        position += bytes.Length;
    }

    private static void AppendNumber(Span<byte> destination, ref int position, long value)
    {
        Utf8Formatter.TryFormat(value, destination[position..], out var written);
        position += written;
    }

    private static SuccessorReply? Deserialize(byte[] plaintext)
    {
        try
        {
            using var document = JsonDocument.Parse(plaintext);
            var root = document.RootElement;
            return new SuccessorReply(
                root.GetProperty("rt").GetString()!,
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("rexp").GetInt64()),
                root.GetProperty("t").GetString()!,
                root.GetProperty("sid").GetGuid(),
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("iat").GetInt64()),
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("exp").GetInt64()));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}

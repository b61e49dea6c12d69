using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

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
        var plaintext = Serialize(reply);
        var sealedBytes = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> key = stackalloc byte[32];
        DeriveKey(presentedToken, key);
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), AssociatedData(chainId, presentedHash));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }

        return Base64Url.EncodeToString(sealedBytes);
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
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plaintext, AssociatedData(chainId, presentedHash));
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

    private static void DeriveKey(string presentedToken, Span<byte> key) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.ASCII.GetBytes(presentedToken), key, salt: [], KeyInfo);

    private static byte[] AssociatedData(string chainId, string presentedHash) => Encoding.ASCII.GetBytes(chainId + "." + presentedHash);

    private static byte[] Serialize(SuccessorReply reply)
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

        return buffer.WrittenSpan.ToArray();
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

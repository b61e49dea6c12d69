using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Sessions.Internal;

namespace Sessions.Lifecycle.Internal;

/// <summary>
/// Makes opaque refresh tokens and the SHA-256 hashes stores keep instead. A token is 48 bytes in base64url (64
/// characters): the 16 bytes of its chain's id, then 32 random bytes. Carrying the chain lets a store find the chain
/// without an index entry per token, so a chain's state stays bounded however often it rotates.
/// </summary>
internal static class RefreshTokens
{
    /// <summary>The length of a refresh token: 64 base64url characters for 48 bytes.</summary>
    public const int TokenLength = 64;

    private const int ChainIdBytes = 16;
    private const int SecretBytes = 32;

    /// <summary>A new chain id for <paramref name="subject"/>: its subject tag, then 12 random bytes, as 32 hex digits.</summary>
    public static string NewChainId(string subject)
    {
        Span<byte> random = stackalloc byte[ChainIdBytes - 4];
        RandomBytes.Fill(random);
        return RefreshChainRecord.SubjectTag(subject) + Convert.ToHexStringLower(random);
    }

    public static (string Token, string Hash) Create(string chainId)
    {
        Span<byte> bytes = stackalloc byte[ChainIdBytes + SecretBytes];
        if (chainId.Length != 2 * ChainIdBytes || Convert.FromHexString(chainId, bytes[..ChainIdBytes], out _, out var written) != System.Buffers.OperationStatus.Done || written != ChainIdBytes)
        {
            throw new ArgumentException("A chain id is 32 hexadecimal digits.", nameof(chainId));
        }

        RandomBytes.Fill(bytes[ChainIdBytes..]);
        var token = Base64Url.EncodeToString(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return (token, Hash(token));
    }

    /// <summary>Reads a presented token's chain and hash; <see langword="false"/> when it cannot be one of ours.</summary>
    public static bool TryRead(string? token, out string chainId, out string hash)
    {
        chainId = hash = string.Empty;
        Span<byte> bytes = stackalloc byte[ChainIdBytes + SecretBytes];
        if (token is null || token.Length != TokenLength ||
            Base64Url.DecodeFromChars(token, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != bytes.Length)
        {
            return false;
        }

        chainId = Convert.ToHexStringLower(bytes[..ChainIdBytes]);
        CryptographicOperations.ZeroMemory(bytes);
        hash = Hash(token);
        return true;
    }

    // One SHA-256 context per thread, reset after each hash: the one-shot API makes and frees a context per call.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static string Hash(string token)
    {
        Span<byte> text = stackalloc byte[TokenLength];
        Span<byte> digest = stackalloc byte[32];
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(text[..Encoding.ASCII.GetBytes(token, text)]);
        sha256.GetHashAndReset(digest);
        return Base64Url.EncodeToString(digest);
    }
}

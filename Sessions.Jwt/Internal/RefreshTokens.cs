using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Sessions.Jwt.Internal;

/// <summary>Makes opaque refresh tokens (256 random bits, base64url) and the SHA-256 hashes stores keep instead.</summary>
internal static class RefreshTokens
{
    /// <summary>The length of a refresh token: 43 base64url characters for 32 random bytes.</summary>
    public const int TokenLength = 43;

    public static (string Token, string Hash) Create()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        var token = Base64Url.EncodeToString(random);
        CryptographicOperations.ZeroMemory(random);
        return (token, Hash(token));
    }

    /// <summary>Hashes a presented token; <see langword="false"/> when it cannot be one of ours.</summary>
    public static bool TryHash(string? token, out string hash)
    {
        if (token is null || token.Length != TokenLength || !Base64Url.IsValid(token))
        {
            hash = string.Empty;
            return false;
        }

        hash = Hash(token);
        return true;
    }

    private static string Hash(string token)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(token), digest);
        return Base64Url.EncodeToString(digest);
    }
}

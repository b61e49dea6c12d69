using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>Builds compact JWS tokens by hand (base64url and HMAC), to make every kind of bad token explicitly.</summary>
public static class TestTokens
{
    /// <summary>The user of the tests' sessions.</summary>
    public const string UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    /// <summary>The claims a valid session token carries at <paramref name="now"/>, as the issuer writes them.</summary>
    public static Dictionary<string, object> Claims(DateTimeOffset now, TimeSpan? lifetime = null) => new()
    {
        ["iss"] = "session-server",
        ["aud"] = "user",
        ["sub"] = UserId,
        ["jti"] = Guid.NewGuid().ToString("D"),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["exp"] = (now + (lifetime ?? TimeSpan.FromHours(24))).ToUnixTimeSeconds(),
    };

    public static Dictionary<string, object> Header(string alg = "HS256") => new() { ["alg"] = alg, ["typ"] = "JWT" };

    /// <summary>Signs header and claims with HS256 (or HS512 when the header says so) and <paramref name="secret"/>.</summary>
    public static string Sign(Dictionary<string, object> header, Dictionary<string, object> claims, string secret = SessionsHost.Secret)
    {
        var signingInput = Encode(header) + "." + Encode(claims);
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = (string)header["alg"] == "HS512" ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public static string Encode(Dictionary<string, object> json) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(json));

    /// <summary>Reads the payload of a compact token as JSON.</summary>
    public static JsonElement Payload(string token) =>
        JsonSerializer.Deserialize<JsonElement>(Base64Url.DecodeFromChars(token.Split('.')[1]));

    /// <summary>Reads the header of a compact token as JSON.</summary>
    public static JsonElement ReadHeader(string token) =>
        JsonSerializer.Deserialize<JsonElement>(Base64Url.DecodeFromChars(token.Split('.')[0]));

    /// <summary>Whether the token's HS256 signature was made with <paramref name="secret"/>.</summary>
    public static bool IsSignedWith(string token, string secret)
    {
        var lastDot = token.LastIndexOf('.');
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(token[..lastDot]));
        return CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(token.AsSpan(lastDot + 1)));
    }
}

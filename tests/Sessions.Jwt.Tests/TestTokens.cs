using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Sessions.Jwt;

namespace Sessions.Jwt.Tests;

/// <summary>Builds tokens by hand, so every byte a test sends is visible in the test.</summary>
internal static class TestTokens
{
    public const string Secret = "a-test-secret-that-is-long-enough-for-hs256!";
    public const string Subject = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    public const string SessionId = "0b6e2c1e-8f3a-4c5d-9e7f-1a2b3c4d5e6f";
    public const string PlainHeader = """{"alg":"HS256","typ":"JWT"}""";

    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static long NowSeconds => Now.ToUnixTimeSeconds();

    public static JwtSessionOptions Options(Action<JwtSessionOptions>? configure = null)
    {
        var options = new JwtSessionOptions { Secret = Secret };
        configure?.Invoke(options);
        return options;
    }

    public static FakeTimeProvider Clock() => new(Now);

    public static string Claims(long? iat = null, long? nbf = null, long? exp = null, string iss = "\"session-server\"", string aud = "\"user\"", string sub = "\"" + Subject + "\"", string jti = "\"" + SessionId + "\"", string extra = "")
    {
        var issued = iat ?? NowSeconds;
        var notBefore = nbf ?? issued;
        var expires = exp ?? issued + 3600;
        return $$"""{"iss":{{iss}},"aud":{{aud}},"sub":{{sub}},"jti":{{jti}},"iat":{{issued}},"nbf":{{notBefore}},"exp":{{expires}}{{extra}}}""";
    }

    public static string Sign(string headerJson, string payloadJson, string secret = Secret, HashAlgorithmName? algorithm = null) =>
        SignRaw(Encoding.UTF8.GetBytes(headerJson), Encoding.UTF8.GetBytes(payloadJson), Encoding.UTF8.GetBytes(secret), algorithm ?? HashAlgorithmName.SHA256);

    public static string SignRaw(byte[] header, byte[] payload, byte[] key, HashAlgorithmName algorithm)
    {
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var data = Encoding.ASCII.GetBytes(signingInput);
        byte[] mac = algorithm.Name switch
        {
            "SHA256" => HMACSHA256.HashData(key, data),
            "SHA384" => HMACSHA384.HashData(key, data),
            "SHA512" => HMACSHA512.HashData(key, data),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };
        return signingInput + "." + Base64Url.EncodeToString(mac);
    }

    public static string Token(string? payloadJson = null) => Sign(PlainHeader, payloadJson ?? Claims());

    public static string Segment(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}

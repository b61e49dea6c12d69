using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Grpc.Tests.Probe;

namespace Sessions.Grpc.Tests.Authentication;

/// <summary>A downstream service validating with the session server's JWKS: rotation, outage, algorithm confusion.</summary>
public sealed class LocalValidationTests
{
    private static Task<IssuerServer> StartIssuerAsync() => IssuerServer.StartAsync(
        ("Keys:0:Id", "rsa-1"), ("Keys:0:Algorithm", "RS256"), ("Keys:0:Generate", "true"),
        ("Keys:1:Id", "ec-1"), ("Keys:1:Algorithm", "ES256"), ("Keys:1:Generate", "true"),
        ("SigningKeyId", "rsa-1"));

    [Fact]
    public async Task Rotation_old_tokens_stay_valid_new_tokens_carry_the_new_kid_and_validate_without_restart()
    {
        await using var issuer = await StartIssuerAsync();
        await using var downstream = await DownstreamServer.StartWithJwksAsync(issuer, DownstreamAuthentication.Interceptor);
        var old = await issuer.CreateTokenAsync();
        Assert.Equal(TestTokens.UserId, (await downstream.WhoAmIAsync(old)).Subject);

        issuer.Configuration.Set("Sessions:Keys:2:Id", "ec-2").Set("Sessions:Keys:2:Algorithm", "ES256").Set("Sessions:Keys:2:Generate", "true")
            .Set("Sessions:SigningKeyId", "ec-2");
        issuer.Configuration.Reload();
        var rotated = await issuer.CreateTokenAsync();

        Assert.Equal("ec-2", TestTokens.ReadHeader(rotated).GetProperty("kid").GetString());
        Assert.Equal(TestTokens.UserId, (await downstream.WhoAmIAsync(rotated)).Subject); // first request: unknown kid, one fetch
        Assert.Equal(TestTokens.UserId, (await downstream.WhoAmIAsync(old)).Subject);
    }

    [Fact]
    public async Task Session_server_down_downstream_keeps_validating_with_the_cached_keys()
    {
        await using var issuer = await StartIssuerAsync();
        await using var downstream = await DownstreamServer.StartWithJwksAsync(issuer, DownstreamAuthentication.Interceptor);
        var token = await issuer.CreateTokenAsync();
        Assert.Equal(TestTokens.UserId, (await downstream.WhoAmIAsync(token)).Subject);

        await issuer.Server.App.StopAsync();
        var unknownKid = Forge(new { alg = "ES256", typ = "JWT", kid = "not-published" }, key: ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var refused = await Assert.ThrowsAsync<RpcException>(() => downstream.WhoAmIAsync(unknownKid)); // a fetch that fails

        // The key may exist at the server that cannot be reached: retry, not log out.
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(TestTokens.UserId, (await downstream.WhoAmIAsync(token)).Subject);
    }

    public static TheoryData<string> Confusions => new()
    {
        "HS256 keyed with the RSA public key PEM, kid of the RSA key",
        "HS256 keyed with the RSA public key DER, kid of the RSA key",
        "HS256 keyed with the RSA modulus, kid of the RSA key",
        "ES256 with kid of the RSA key",
        "RS256 with kid of the EC key",
        "none with kid of the RSA key",
    };

    [Theory]
    [MemberData(nameof(Confusions))]
    public async Task Algorithm_confusion_is_refused_through_the_whole_stack(string kind)
    {
        await using var issuer = await StartIssuerAsync();
        await using var downstream = await DownstreamServer.StartWithJwksAsync(issuer, DownstreamAuthentication.Interceptor);

        // A genuine session first, so that the downstream holds the published keys: the refusal below is then about the
        // forged token, not about a first key fetch still under way on a busy machine.
        Assert.Equal(TestTokens.UserId, (await downstream.WhoAmIAsync(await issuer.CreateTokenAsync())).Subject);
        var jwks = JsonDocument.Parse((await issuer.Client.GetKeysAsync(new GetKeysRequest())).JwksJson).RootElement.GetProperty("keys");
        var rsaJwk = jwks.EnumerateArray().Single(k => k.GetProperty("kid").GetString() == "rsa-1");
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(rsaJwk.GetProperty("n").GetString()),
            Exponent = Base64Url.DecodeFromChars(rsaJwk.GetProperty("e").GetString()),
        });
        using var otherEc = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherRsa = RSA.Create(2048);

        var token = kind switch
        {
            "HS256 keyed with the RSA public key PEM, kid of the RSA key" => ForgeHmac("rsa-1", Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem())),
            "HS256 keyed with the RSA public key DER, kid of the RSA key" => ForgeHmac("rsa-1", rsa.ExportSubjectPublicKeyInfo()),
            "HS256 keyed with the RSA modulus, kid of the RSA key" => ForgeHmac("rsa-1", rsa.ExportParameters(false).Modulus!),
            "ES256 with kid of the RSA key" => Forge(new { alg = "ES256", typ = "JWT", kid = "rsa-1" }, otherEc),
            "RS256 with kid of the EC key" => Forge(new { alg = "RS256", typ = "JWT", kid = "ec-1" }, otherRsa),
            _ => TestTokens.Encode(new() { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = "rsa-1" }) + "." + TestTokens.Encode(TestTokens.Claims(DateTimeOffset.UtcNow)) + ".",
        };

        var refused = await Assert.ThrowsAsync<RpcException>(() => downstream.WhoAmIAsync(token));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains(refused.Status.Detail, new[] { "token algorithm is not allowed", "token signature is invalid", "token is malformed" });
        Assert.DoesNotContain(token, refused.Status.Detail, StringComparison.Ordinal);
    }

    private static string ForgeHmac(string kid, byte[] key)
    {
        var input = TestTokens.Encode(new() { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = kid }) + "." + TestTokens.Encode(TestTokens.Claims(DateTimeOffset.UtcNow));
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(input)));
    }

    private static string Forge(object header, AsymmetricAlgorithm key)
    {
        var input = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + TestTokens.Encode(TestTokens.Claims(DateTimeOffset.UtcNow));
        var data = Encoding.ASCII.GetBytes(input);
        var signature = key switch
        {
            ECDsa ec => ec.SignData(data, HashAlgorithmName.SHA256),
            RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentOutOfRangeException(nameof(key)),
        };
        return input + "." + Base64Url.EncodeToString(signature);
    }
}

using System.Buffers.Text;
using System.Numerics;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Abuse;

/// <summary>
/// The (r, n - s) twin of an ES256 signature verifies as well as (r, s): a second spelling of the same token, which
/// Validate refuses over the wire as it refuses padding or trailing bits.
/// </summary>
public sealed class HighSSignatureTests
{
    private static readonly BigInteger P256Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    [Fact]
    public async Task Validate_refuses_the_high_s_twin_of_an_issued_es256_token_as_bad_signature()
    {
        await using var issuer = await IssuerServer.StartAsync(("Keys:0:Id", "ec"), ("Keys:0:Algorithm", "ES256"), ("Keys:0:Generate", "true"));
        var token = await issuer.CreateTokenAsync();
        var parts = token.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var twin = (P256Order - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        Array.Clear(signature, 32, 32);
        twin.CopyTo(signature.AsSpan(64 - twin.Length));
        var twinToken = parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(signature);

        Assert.True(s <= P256Order / 2, "the server issued a high S");
        Assert.True((await issuer.Client.ValidateAsync(new ValidateTokenRequest { Token = token })).Valid);
        var refused = await Assert.ThrowsAsync<RpcException>(() => issuer.Client.ValidateAsync(new ValidateTokenRequest { Token = twinToken }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("bad_signature", refused.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
    }
}

using Sessions.Lifecycle.Internal;

namespace Sessions.Lifecycle.Tests;

/// <summary>
/// The sealed successor of a refresh: it opens for the token it was made for only, and its plaintext is the JSON
/// <see cref="System.Text.Json.Utf8JsonWriter"/> wrote before the copying serializer replaced it, so successors sealed by
/// an instance of either version open on the other during a rolling update.
/// </summary>
public sealed class SuccessorSealTests : IDisposable
{
    private const string ChainId = "c0ffee00c0ffee00c0ffee00c0ffee00";
    private const string PresentedHash = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";

    private readonly JwtSessionIssuer _issuer = new(TestTokens.Options());

    public void Dispose() => _issuer.Dispose();

    private SuccessorReply Reply(string refreshToken)
    {
        var session = _issuer.Issue("3f2504e0-4f89-11d3-9a0c-0305e82c3301", new SessionClaims { ["tenant"] = "acme", ["roles"] = new[] { "admin", "ops" } });
        return new SuccessorReply(refreshToken, DateTimeOffset.FromUnixTimeMilliseconds(1_798_000_000_123), session.Token, session.SessionId, session.IssuedAt, session.ExpiresAt);
    }

    private static byte[] Written(Func<SuccessorReply, Memory<byte>, int> serialize, SuccessorReply reply)
    {
        var buffer = new byte[4096];
        return buffer[..serialize(reply, buffer)];
    }

    [Fact]
    public void The_copying_serializer_writes_the_bytes_Utf8JsonWriter_writes()
    {
        var reply = Reply("c0ffee00c0ffee00c0ffee00c0ffee00" + "AbCdEfGhIjKlMnOpQrStUvWxYz012345");

        var copied = Written((r, b) => SuccessorSeal.Serialize(r, b.Span), reply);
        var written = Written((r, b) => SuccessorSeal.SerializeWithWriter(r, b.Span), reply);

        Assert.Equal(written, copied);
    }

    [Theory]
    [InlineData("c0ffee00c0ffee00c0ffee00c0ffee00AbCdEfGhIjKlMnOpQrStUvWxYz012345")]
    [InlineData("a token with \"quotes\", a \\ backslash, <html> & non-ASCII: é")]
    public void A_sealed_successor_opens_for_its_token_and_chain_only(string presentedToken)
    {
        var reply = Reply(presentedToken + "-successor");

        var sealedReply = SuccessorSeal.Seal(presentedToken, ChainId, PresentedHash, reply);

        Assert.True(SuccessorSeal.TryOpen(presentedToken, ChainId, PresentedHash, sealedReply, out var opened));
        Assert.Equal(reply, opened);
        Assert.False(SuccessorSeal.TryOpen(presentedToken + "x", ChainId, PresentedHash, sealedReply, out _));
        Assert.False(SuccessorSeal.TryOpen(presentedToken, "d" + ChainId[1..], PresentedHash, sealedReply, out _));
        Assert.False(SuccessorSeal.TryOpen(presentedToken, ChainId, "x" + PresentedHash[1..], sealedReply, out _));
        Assert.DoesNotContain(reply.SessionToken, sealedReply, StringComparison.Ordinal);
    }
}

using Google.Protobuf;

namespace Sessions.Grpc.Tests;

/// <summary>
/// The messages of the contract that carry a session token or a refresh token show them hidden in
/// <c>ToString()</c>, which a log line (<c>logger.LogInformation("{Reply}", reply)</c>), an interpolated string and a
/// debugger use; the token travels and is formatted as JSON as before.
/// </summary>
public sealed class MessageDiagnosticsTests
{
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLW9mLWEtdGVzdC10b2tlbg";
    private const string RefreshToken = "rt_0123456789abcdefghijklmnopqrstuvwxyz";

    public static TheoryData<string> Messages() => ["TokenReply", "ValidateTokenRequest", "RefreshSessionRequest", "RevokeSessionRequest"];

    [Theory]
    [MemberData(nameof(Messages))]
    public void ToString_hides_the_token_and_the_refresh_token_and_keeps_the_other_fields(string name)
    {
        // Before, ToString() gave the message as JSON with both tokens in clear: a caller that logged a reply wrote
        // bearer credentials to its log.
        var message = Message(name);
        var before = message.Descriptor.Parser.ParseFrom(message.ToByteArray());

        var text = message.ToString()!;

        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(RefreshToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain("c2lnbmF0dXJl", text, StringComparison.Ordinal);
        Assert.Contains(name == "RefreshSessionRequest" ? $"\"(hidden: {RefreshToken.Length} characters)\"" : $"\"(hidden: {Token.Length} characters)\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, $"{message}", StringComparison.Ordinal);
        Assert.Equal(before, message);
        if (message is TokenReply)
        {
            Assert.Contains("\"subject\": \"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"", text, StringComparison.Ordinal);
            Assert.Contains("\"sessionId\": \"s-1\"", text, StringComparison.Ordinal);
            Assert.Contains($"\"refreshToken\": \"(hidden: {RefreshToken.Length} characters)\"", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void The_tokens_are_still_sent_and_formatted_as_JSON(string name)
    {
        var message = Message(name);

        var parsed = message.Descriptor.Parser.ParseFrom(message.ToByteArray());

        Assert.Equal(message, parsed);
        Assert.Contains(name == "RefreshSessionRequest" ? RefreshToken : Token, JsonFormatter.Default.Format(message), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_token_is_left_out_as_before()
    {
        Assert.Equal("{ \"subject\": \"x\" }", new TokenReply { Subject = "x" }.ToString());
        Assert.Equal("{ }", new ValidateTokenRequest().ToString());
        Assert.Equal("{ \"sessionId\": \"s-1\" }", new RevokeSessionRequest { SessionId = "s-1" }.ToString());
    }

    private static IMessage Message(string name) => name switch
    {
        "TokenReply" => new TokenReply
        {
            Valid = true,
            Token = Token,
            Subject = "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            SessionId = "s-1",
            RefreshToken = RefreshToken,
        },
        "ValidateTokenRequest" => new ValidateTokenRequest { Token = Token },
        "RefreshSessionRequest" => new RefreshSessionRequest { RefreshToken = RefreshToken },
        _ => new RevokeSessionRequest { Token = Token },
    };
}

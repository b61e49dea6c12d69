using System.Text;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Calls;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Abuse;

/// <summary>
/// A session id comes from the token, and a token from a trusted issuer may hold any string there: the per-call line
/// writes line breaks, terminal escapes and other control characters in it as <c>\uXXXX</c>, so that no token can forge
/// a log line or recolour a console. The structured field keeps the id as it is.
/// </summary>
public sealed class LogInjectionTests
{
    private const string ForgingId = "x\n2026-12-06T00:00:00Z fail: FAKE LINE\u001b[31m\r\u2028\\";
    private const string EscapedId = "x\\u000a2026-12-06T00:00:00Z fail: FAKE LINE\\u001b[31m\\u000d\\u2028\\u005c";

    [Fact]
    public async Task A_session_id_with_line_breaks_and_escapes_is_written_escaped_in_the_call_s_line()
    {
        await using var host = await SessionsHost.StartAsync();
        var claims = TestTokens.Claims(host.Time.GetUtcNow());
        claims["jti"] = ForgingId;

        var reply = await host.Client.ValidateAsync(new ValidateTokenRequest { Token = TestTokens.Sign(TestTokens.Header(), claims) });

        Assert.True(reply.Valid);
        Assert.Equal(ForgingId, reply.SessionId);
        var line = Assert.Single(host.Logs.Lines, l => l.Message.StartsWith("Sessions.Validate valid ", StringComparison.Ordinal));
        Assert.StartsWith($"Sessions.Validate valid session={EscapedId} in ", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains('\n', StringComparison.Ordinal) || l.Message.Contains('\u001b', StringComparison.Ordinal));
    }

    [Fact]
    public void The_UTF8_message_escapes_as_the_text_one_does_and_the_field_keeps_the_id()
    {
        var state = new CallCompletedLogState("Validate", "valid", ForgingId, 0.042);
        var buffer = new byte[256];

        Assert.True(state.TryFormat(buffer, out var written, default, null));

        Assert.Equal(state.ToString(), Encoding.UTF8.GetString(buffer, 0, written));
        Assert.Equal($"Sessions.Validate valid session={EscapedId} in 0.042 ms", state.ToString());
        Assert.Equal(ForgingId, state[2].Value);
    }

    [Theory]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("sessions/ünïcødé-and-spaces are fine")]
    public void An_id_with_nothing_to_escape_is_written_as_it_is(string id) =>
        Assert.Same(id, PrintableText.Of(id));
}

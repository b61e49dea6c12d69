using System.Globalization;
using System.Text;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Calls;

namespace Sessions.Grpc.Tests;

public sealed class CallLogLineTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.0004)]
    [InlineData(0.0005)]
    [InlineData(0.042)]
    [InlineData(0.1)]
    [InlineData(1.23456)]
    [InlineData(11.2485)]
    [InlineData(999.9996)]
    [InlineData(123456.789)]
    [InlineData(double.NaN)]
    [InlineData(-1.5)]
    public void The_message_reads_as_the_generated_line_did_in_text_and_UTF8(double elapsed)
    {
        var state = new CallCompletedLogState("Validate", "valid", "0f8fad5b-d9cb-469f-a165-70867728950e", elapsed);
        var expected = "Sessions.Validate valid session=0f8fad5b-d9cb-469f-a165-70867728950e in "
            + elapsed.ToString("0.###", CultureInfo.InvariantCulture) + " ms";

        var utf8 = new byte[256];
        Assert.True(state.TryFormat(utf8, out var written, default, CultureInfo.InvariantCulture));

        Assert.Equal(expected, state.ToString());
        Assert.Equal(expected, Encoding.UTF8.GetString(utf8, 0, written));
    }

    [Fact]
    public void A_call_without_a_session_id_says_a_dash_and_a_short_buffer_is_refused()
    {
        var state = new CallCompletedLogState("Create", "invalid_user_id", null, 0.5);
        var utf8 = new byte[256];
        Assert.True(state.TryFormat(utf8, out var written, default, CultureInfo.InvariantCulture));

        Assert.Equal("Sessions.Create invalid_user_id session=- in 0.5 ms", state.ToString());
        Assert.Equal("Sessions.Create invalid_user_id session=- in 0.5 ms", Encoding.UTF8.GetString(utf8, 0, written));
        Assert.False(state.TryFormat(new byte[20], out _, default, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("caf\u00e9-\u4e2d\u6587")]
    [InlineData("\ud83d\ude00 emoji")]
    [InlineData("lone \ud800 surrogate")]
    [InlineData("new\nline")]
    public void A_session_id_that_is_not_ASCII_is_written_in_UTF8_as_the_text_message_says(string sessionId)
    {
        var state = new CallCompletedLogState("Validate", "valid", sessionId, 0.042);
        var utf8 = new byte[256];

        Assert.True(state.TryFormat(utf8, out var written, default, CultureInfo.InvariantCulture));

        Assert.Equal(Encoding.UTF8.GetBytes(state.ToString()), utf8.AsSpan(0, written).ToArray());
    }

    [Fact]
    public void Every_buffer_shorter_than_the_line_is_refused_and_the_exact_length_is_enough()
    {
        var state = new CallCompletedLogState("Validate", "valid", "caf\u00e9", 1.5);
        var expected = Encoding.UTF8.GetBytes(state.ToString());

        for (var length = 0; length < expected.Length; length++)
        {
            Assert.False(state.TryFormat(new byte[length], out var none, default, CultureInfo.InvariantCulture));
            Assert.Equal(0, none);
        }

        var exact = new byte[expected.Length];
        Assert.True(state.TryFormat(exact, out var written, default, CultureInfo.InvariantCulture));
        Assert.Equal(expected, exact.AsSpan(0, written).ToArray());
    }

    [Fact]
    public void Providers_see_the_fields_and_template_of_the_line()
    {
        var state = new CallCompletedLogState("Validate", "expired", null, 0.25);

        Assert.Equal(
            [
                new("Operation", "Validate"), new("Outcome", "expired"), new("SessionId", null),
                new("ElapsedMilliseconds", 0.25), new("{OriginalFormat}", CallCompletedLogState.Format),
            ],
            state.ToList());
    }
}

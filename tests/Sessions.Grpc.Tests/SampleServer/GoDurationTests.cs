using Sessions.SampleServer;

namespace Sessions.Grpc.Tests.SampleServer;

public sealed class GoDurationTests
{
    public static TheoryData<string, TimeSpan> Valid => new()
    {
        { "24h", TimeSpan.FromHours(24) },
        { "1h30m", TimeSpan.FromMinutes(90) },
        { "90s", TimeSpan.FromSeconds(90) },
        { "1.5h", TimeSpan.FromMinutes(90) },
        { "500ms", TimeSpan.FromMilliseconds(500) },
        { "0", TimeSpan.Zero },
        { "+5m", TimeSpan.FromMinutes(5) },
        { "-2s", TimeSpan.FromSeconds(-2) },
        { ".5s", TimeSpan.FromMilliseconds(500) },
        { "1.s", TimeSpan.FromSeconds(1) },
        { "1h2m3s4ms5us6ns", new TimeSpan(0, 1, 2, 3, 4, 5) },
        { "3\u00b5s", TimeSpan.FromMicroseconds(3) },
        { "3\u03bcs", TimeSpan.FromMicroseconds(3) },
        { "1500ns", TimeSpan.FromTicks(15) },
        { "0.000000001s", TimeSpan.Zero },
        { "2562047h", TimeSpan.FromHours(2562047) },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void TryParse_reads_go_durations(string text, TimeSpan expected)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData("5")]
    [InlineData("1d")]
    [InlineData("1H")]
    [InlineData("h")]
    [InlineData(".s")]
    [InlineData("1h-5m")]
    [InlineData("1h 30m")]
    [InlineData(" 1h")]
    [InlineData("1,5h")]
    [InlineData("1e3s")]
    [InlineData("2562048h")]
    [InlineData("99999999999999999999ns")]
    [InlineData("infinity")]
    public void TryParse_refuses_what_go_refuses(string? text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }
}

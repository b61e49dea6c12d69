using System.Text;
using System.Text.Json;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Calls;
using Sessions.SampleServer.Logging;

namespace Sessions.Grpc.Tests.SampleServer;

public sealed partial class BatchingConsoleLoggerTests
{
    private const string Category = "Sessions.Grpc.SessionsService";
    private const string SessionId = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private static string[] Write(LogFormat format, Action<ILogger> log)
    {
        var output = new MemoryStream();
        using (var provider = new BatchingConsoleLoggerProvider(format, new KeepOpenStream(output)))
        {
            log(provider.CreateLogger(Category));
        }

        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void Text_lines_carry_time_level_category_event_id_and_the_message()
    {
        var lines = Write(LogFormat.Console, logger => SessionsLog.CallCompleted(logger, "Validate", "valid", SessionId, 0.042));

        var line = Assert.Single(lines);
        Assert.EndsWith($" info: {Category}[1] Sessions.Validate valid session={SessionId} in 0.042 ms", line, StringComparison.Ordinal);
        Assert.True(DateTime.TryParse(line[..line.IndexOf(' ', StringComparison.Ordinal)], out _), line);
    }

    [Fact]
    public void JSON_lines_carry_the_fields_of_the_line()
    {
        var lines = Write(LogFormat.Json, logger => SessionsLog.CallCompleted(logger, "Create", "issued", SessionId, 1.5));

        using var entry = JsonDocument.Parse(Assert.Single(lines));
        var root = entry.RootElement;
        Assert.Equal(1, root.GetProperty("EventId").GetInt32());
        Assert.Equal("Information", root.GetProperty("LogLevel").GetString());
        Assert.Equal(Category, root.GetProperty("Category").GetString());
        Assert.Equal($"Sessions.Create issued session={SessionId} in 1.5 ms", root.GetProperty("Message").GetString());
        var state = root.GetProperty("State");
        Assert.Equal("Create", state.GetProperty("Operation").GetString());
        Assert.Equal("issued", state.GetProperty("Outcome").GetString());
        Assert.Equal(SessionId, state.GetProperty("SessionId").GetString());
        Assert.Equal(1.5, state.GetProperty("ElapsedMilliseconds").GetDouble());
    }

    [Fact]
    public void A_call_without_a_session_id_reads_session_dash_in_text_and_JSON_never_null_in_parentheses()
    {
        var text = Assert.Single(Write(LogFormat.Console, logger => SessionsLog.CallCompleted(logger, "Create", "invalid_user_id", null, 0.5)));
        var json = Assert.Single(Write(LogFormat.Json, logger => SessionsLog.CallCompleted(logger, "Create", "invalid_user_id", null, 0.5)));

        Assert.EndsWith("] Sessions.Create invalid_user_id session=- in 0.5 ms", text, StringComparison.Ordinal);
        using var entry = JsonDocument.Parse(json);
        Assert.Equal("Sessions.Create invalid_user_id session=- in 0.5 ms", entry.RootElement.GetProperty("Message").GetString());
        Assert.Equal("Sessions.Create invalid_user_id session=- in 0.5 ms", entry.RootElement.GetProperty("State").GetProperty("Message").GetString());
        Assert.Equal(JsonValueKind.Null, entry.RootElement.GetProperty("State").GetProperty("SessionId").ValueKind);
        Assert.DoesNotContain("(null)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(null)", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Ordinary_log_calls_and_exceptions_are_written_too_and_nothing_is_lost()
    {
        var lines = Write(LogFormat.Console, logger =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                Numbered(logger, i);
            }

            Failed(logger, "here", new InvalidOperationException("boom"));
        });

        Assert.Equal(20_000, lines.Count(l => l.Contains(" info: ", StringComparison.Ordinal)));
        Assert.EndsWith("line 19999", lines[19_999], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains(" fail: " + Category + "[", StringComparison.Ordinal) && l.EndsWith("] failed here", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("System.InvalidOperationException: boom", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, LogFormat.Console)]
    [InlineData("", LogFormat.Console)]
    [InlineData("console", LogFormat.Console)]
    [InlineData(" JSON ", LogFormat.Json)]
    public void SESSIONS_LOG_FORMAT_chooses_text_or_JSON(string? value, LogFormat expected) =>
        Assert.Equal(expected, SampleLogging.ParseFormat(value));

    [Fact]
    public void An_unknown_SESSIONS_LOG_FORMAT_stops_start_up_naming_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Sessions.SampleServer.Program.Build(["--PORT=0", "--LISTEN_ADDRESS=127.0.0.1", "--SESSIONS_LOG_FORMAT=xml"]));

        Assert.Equal("SESSIONS_LOG_FORMAT 'xml' is not one of console, json.", error.Message);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "line {Number}")]
    private static partial void Numbered(ILogger logger, int number);

    [LoggerMessage(Level = LogLevel.Error, Message = "failed {What}")]
    private static partial void Failed(ILogger logger, string what, Exception exception);

    /// <summary>Lets the test read what was written after the provider disposed its stream.</summary>
    private sealed class KeepOpenStream(MemoryStream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}

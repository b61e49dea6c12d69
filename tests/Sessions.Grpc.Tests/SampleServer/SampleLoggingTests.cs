using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.SampleServer;

public sealed class SampleLoggingTests
{
    [Fact]
    public async Task A_tracing_session_that_asks_for_logs_gets_the_per_call_line()
    {
        var app = Sessions.SampleServer.Program.Build(["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1"]);
        await using var server = await LoopbackServer.StartAsync(app);
        var before = await server.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        // What dotnet-trace does with --providers Microsoft-Extensions-Logging:4:4: keyword FormattedMessage, no filter spec.
        using var listener = new LoggingListener();
        var created = await server.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        var line = await listener.FirstAsync(message => message.Contains(created.SessionId, StringComparison.Ordinal)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith($"Sessions.Create issued session={created.SessionId} in ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(listener.Messages, message => message.Contains(before.SessionId, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/sessions.Sessions/Validate%0A2026-12-07T19:00:00.0000000Z%20info:%20Sessions.Grpc.SessionsService%5B1%5D%20Sessions.Create%20issued%20session=forged%20in%200.1%20ms")]
    [InlineData("/sessions.Sessions/Validate%0D%0Aforged%1B%5B2J%C2%9B%E2%80%A8")]
    [InlineData("/forged%0Aservice/Validate")]
    public async Task A_method_path_with_line_breaks_or_terminal_escapes_cannot_forge_a_text_line(string path)
    {
        var output = new MemoryStream();
        var console = new Sessions.SampleServer.Logging.BatchingConsoleLoggerProvider(Sessions.SampleServer.Logging.LogFormat.Console, new KeepOpenStream(output));
        var app = Sessions.SampleServer.Program.Build(
            ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1"],
            services => services.AddSingleton<ILoggerProvider>(console));
        await using (var server = await LoopbackServer.StartAsync(app))
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Addresses[0].TrimEnd('/') + path))
            {
                Content = new ByteArrayContent([0, 0, 0, 0, 0]),
                Version = System.Net.HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/grpc");
            request.Headers.TryAddWithoutValidation("TE", "trailers");
            using var response = await http.SendAsync(request);
            _ = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{request.RequestUri} {response.StatusCode} {response.Version} {response.Headers} {await response.Content.ReadAsStringAsync()}");
        }

        console.Dispose();
        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var unimplemented = Assert.Single(lines, line => line.Contains("is unimplemented", StringComparison.Ordinal));
        Assert.Contains("\\u000a", unimplemented, StringComparison.Ordinal);
        foreach (var line in lines)
        {
            // Every line is one of the server's: its time, its level, its category.
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (info|warn|fail|dbug|trce|crit): \S+\[\d+\] ", line);
            Assert.DoesNotContain(line, c => char.IsControl(c) || c is '\u2028' or '\u2029');
        }
    }

    private sealed class KeepOpenStream(Stream inner) : Stream
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

    private sealed class LoggingListener : EventListener
    {
        private readonly ConcurrentQueue<string> _messages = new();
        private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiting = [];

        public IReadOnlyCollection<string> Messages => _messages;

        public Task<string> FirstAsync(Func<string, bool> match)
        {
            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waiting)
            {
                _waiting.Add((match, found));
                foreach (var message in _messages.Where(match))
                {
                    found.TrySetResult(message);
                }
            }

            return found.Task;
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Extensions-Logging")
            {
                EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)4 /* FormattedMessage */);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName != "FormattedMessage" || eventData.Payload is not { Count: > 5 } payload || payload[5] is not string message)
            {
                return;
            }

            _messages.Enqueue(message);
            lock (_waiting)
            {
                foreach (var (match, found) in _waiting.Where(waiting => waiting.Match(message)))
                {
                    found.TrySetResult(message);
                }
            }
        }
    }
}

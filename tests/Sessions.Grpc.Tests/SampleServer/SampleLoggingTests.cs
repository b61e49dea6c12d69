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

using Microsoft.Extensions.Time.Testing;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>A running sessions host, its clock and its logs.</summary>
public sealed class TestHost(LoopbackServer server, FakeTimeProvider time, LogCollector logs) : IAsyncDisposable
{
    public LoopbackServer Server { get; } = server;

    public Protocol.Sessions.SessionsClient Client => Server.Client;

    public FakeTimeProvider Time { get; } = time;

    public LogCollector Logs { get; } = logs;

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>Keeps every formatted log line, so tests can check what reaches the logs (and what never does).</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{logLevel} {eventId.Name}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}");
}

using System.Collections.Concurrent;
using System.Text;

namespace Sessions.Grpc.Tests.Abuse;

/// <summary>
/// A logger provider that keeps every byte of text any logger produces, at every level: the formatted message, each
/// structured value, each scope, and the whole exception (message, inner exceptions and stack trace).
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    /// <summary>Every captured entry, one string per log call or scope, prefixed by category and level.</summary>
    public IReadOnlyList<string> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private static string Describe(object? state)
    {
        var text = new StringBuilder(state?.ToString());
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                text.Append(" | ").Append(key).Append('=').Append(value);
            }
        }

        return text.ToString();
    }

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state) where TState : notnull
        {
            entries.Enqueue($"{category} scope: {Describe(state)}");
            return NoScope.Instance;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue($"{category} {logLevel} {eventId}: {formatter(state, exception)} | {Describe(state)} | {exception}");
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}

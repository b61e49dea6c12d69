using System.Collections.Concurrent;

namespace Sessions.SampleServer.Logging;

/// <summary>
/// The sample server's console logging: lines formatted straight into UTF-8 and written to standard output in
/// batches (<see cref="BatchingLogWriter"/>), as text or JSON (<see cref="LogFormat"/>). Its alias is <c>Console</c>,
/// so <c>Logging:Console:LogLevel</c> settings apply to it as they did to Microsoft's console logger.
/// </summary>
[ProviderAlias("Console")]
public sealed class BatchingConsoleLoggerProvider : ILoggerProvider
{
    private readonly BatchingLogWriter _writer;
    private readonly LogFormat _format;
    private readonly ConcurrentDictionary<string, BatchingConsoleLogger> _loggers = new(StringComparer.Ordinal);

    /// <summary>Creates the provider.</summary>
    /// <param name="format">Text or JSON lines.</param>
    /// <param name="output">Where the lines go; standard output when <see langword="null"/> (the default). Disposed with the provider.</param>
    public BatchingConsoleLoggerProvider(LogFormat format, Stream? output = null)
    {
        _format = format;
        _writer = new BatchingLogWriter(output ?? Console.OpenStandardOutput());
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, self) => new BatchingConsoleLogger(name, self._writer, self._format), this);

    /// <summary>Writes every pending line now.</summary>
    public void Flush() => _writer.Flush();

    /// <summary>Writes what is pending and stops the writer's thread.</summary>
    public void Dispose() => _writer.Dispose();
}

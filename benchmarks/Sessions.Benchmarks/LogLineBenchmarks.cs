using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Calls;
using Sessions.SampleServer.Logging;
using ZLogger;

namespace Sessions.Benchmarks;

/// <summary>
/// The cost of the sessions service's one log line per call (<c>SessionsLog.CallCompleted</c>, the real line) on
/// the calling thread. Baseline: Microsoft's console logger (<c>AddSimpleConsole()</c>, what the sample server used
/// before) writing to a null console. The other rows: the sample server's batching writer in its text and JSON
/// formats, writing to <see cref="Stream.Null"/>; ZLogger configured as the server <c>dotnet new sessions-server</c>
/// makes configures it (plain text, the same prefix), writing to <see cref="Stream.Null"/>; and the line at a level
/// that is off. Goal: well under a microsecond per line, no allocation in the text format.
/// </summary>
/// <remarks>
/// Microsoft's logger formats on the calling thread and writes on a thread of its own, one console write per line,
/// and makes the caller wait once its queue (2,500 lines) is full; so its row includes the writer's pace. The
/// batching writer formats on the calling thread too and writes once per batch. ZLogger makes the message a string on
/// the calling thread (the line's state is not one of its own) and formats and writes the line on its background
/// thread. Run pinned to one CPU (<c>--affinity 1</c>), the writers' threads share the caller's core as on a one-core
/// server, and every row includes their work.
/// </remarks>
[MemoryDiagnoser]
public class LogLineBenchmarks
{
    private const string SessionId = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private ILoggerFactory _microsoft = null!;
    private ILoggerFactory _batchingText = null!;
    private ILoggerFactory _batchingJson = null!;
    private ILoggerFactory _zlogger = null!;
    private ILoggerFactory _off = null!;
    private ILogger _microsoftLogger = null!;
    private ILogger _batchingTextLogger = null!;
    private ILogger _batchingJsonLogger = null!;
    private ILogger _zloggerLogger = null!;
    private ILogger _offLogger = null!;
    private TextWriter _console = null!;

    [GlobalSetup]
    public void Setup()
    {
        _console = Console.Out;
        Console.SetOut(TextWriter.Null);
        const string category = "Sessions.Grpc.SessionsService";
        _microsoft = LoggerFactory.Create(logging => logging.AddSimpleConsole());
        _batchingText = LoggerFactory.Create(logging => logging.AddProvider(new BatchingConsoleLoggerProvider(LogFormat.Console, Stream.Null)));
        _batchingJson = LoggerFactory.Create(logging => logging.AddProvider(new BatchingConsoleLoggerProvider(LogFormat.Json, Stream.Null)));
        _zlogger = LoggerFactory.Create(logging => logging.AddZLoggerStream(Stream.Null, options => options.UsePlainTextFormatter(formatter =>
            formatter.SetPrefixFormatter($"{0:O} {1:short} {2}: ", (in MessageTemplate template, in LogInfo info) => template.Format(info.Timestamp.Utc.UtcDateTime, info.LogLevel, info.Category)))));
        _off = LoggerFactory.Create(logging => logging.AddProvider(new BatchingConsoleLoggerProvider(LogFormat.Console, Stream.Null)).SetMinimumLevel(LogLevel.Warning));
        _microsoftLogger = _microsoft.CreateLogger(category);
        _batchingTextLogger = _batchingText.CreateLogger(category);
        _batchingJsonLogger = _batchingJson.CreateLogger(category);
        _zloggerLogger = _zlogger.CreateLogger(category);
        _offLogger = _off.CreateLogger(category);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _microsoft.Dispose();
        _batchingText.Dispose();
        _batchingJson.Dispose();
        _zlogger.Dispose();
        _off.Dispose();
        Console.SetOut(_console);
    }

    [Benchmark(Baseline = true, Description = "Microsoft console logger")]
    public void MicrosoftConsole() => SessionsLog.CallCompleted(_microsoftLogger, "Validate", "valid", SessionId, 0.042);

    [Benchmark(Description = "Batching writer, text")]
    public void BatchingText() => SessionsLog.CallCompleted(_batchingTextLogger, "Validate", "valid", SessionId, 0.042);

    [Benchmark(Description = "Batching writer, JSON")]
    public void BatchingJson() => SessionsLog.CallCompleted(_batchingJsonLogger, "Validate", "valid", SessionId, 0.042);

    [Benchmark(Description = "ZLogger, text (the template's)")]
    public void ZLoggerText() => SessionsLog.CallCompleted(_zloggerLogger, "Validate", "valid", SessionId, 0.042);

    [Benchmark(Description = "Level off (Warning)")]
    public void Off() => SessionsLog.CallCompleted(_offLogger, "Validate", "valid", SessionId, 0.042);
}

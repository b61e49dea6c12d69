using Microsoft.Extensions.Logging.EventSource;
using Microsoft.Extensions.Options;

namespace Sessions.SampleServer.Logging;

/// <summary>
/// Console logging for the sample server: the batching writer in place of Microsoft's console logger, as text
/// (the default) or JSON lines (<c>SESSIONS_LOG_FORMAT=json</c>). Levels come from <c>Logging:LogLevel</c> as usual.
/// </summary>
public static class SampleLogging
{
    /// <summary>The setting that chooses the format: <c>console</c> (the default) or <c>json</c>.</summary>
    public const string FormatSetting = "SESSIONS_LOG_FORMAT";

    /// <summary>Replaces the console logger with the batching one, in the format the configuration asks for.</summary>
    /// <param name="builder">The host builder.</param>
    /// <exception cref="InvalidOperationException"><c>SESSIONS_LOG_FORMAT</c> is neither console nor json.</exception>
    public static void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var format = ParseFormat(builder.Configuration[FormatSetting]);
        builder.Logging.ClearProviders();
        // EventSource stays: dotnet-trace and dotnet-counters read logs through it.
        builder.Logging.AddEventSourceLogger();
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IConfigureOptions<LoggerFilterOptions>>(new ConfigureOptions<LoggerFilterOptions>(QuietUntilTraced)));
        builder.Logging.AddProvider(new BatchingConsoleLoggerProvider(format));
    }

    /// <summary>
    /// The EventSource provider at <see cref="LogLevel.None"/> until a tracing session asks for logs. Every
    /// <c>IsEnabled</c> check of every logger (about 20 per call, most of them the framework's) walks one logger per
    /// provider that is not at None, and the EventSource one answers false while nobody listens: at None it is left out,
    /// about 700 instructions per call. A session that enables <c>Microsoft-Extensions-Logging</c> (dotnet-trace,
    /// dotnet-monitor, an <c>EventListener</c>) gets its logs as usual: the logging event source then adds a rule for
    /// its provider, and this one comes first among the filter settings so that the session's rule, added after it,
    /// wins. So does an <c>EventSource</c> level written in <c>Logging</c>. (A session whose filter spec starts with
    /// <c>UseAppFilters</c> gets the categories it names; the others stay at None rather than following the app's levels.)
    /// </summary>
    private static void QuietUntilTraced(LoggerFilterOptions options) =>
        options.Rules.Add(new LoggerFilterRule(typeof(EventSourceLoggerProvider).FullName, categoryName: null, LogLevel.None, filter: null));

    /// <summary>Reads <c>SESSIONS_LOG_FORMAT</c>.</summary>
    /// <param name="value">The setting as written; empty or missing means <see cref="LogFormat.Console"/>.</param>
    /// <returns>The format.</returns>
    /// <exception cref="InvalidOperationException">The value is neither console nor json.</exception>
    public static LogFormat ParseFormat(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "CONSOLE" => LogFormat.Console,
        "JSON" => LogFormat.Json,
        _ => throw new InvalidOperationException($"{FormatSetting} '{value}' is not one of console, json."),
    };
}

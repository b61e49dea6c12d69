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
        // EventSource stays: dotnet-trace and dotnet-counters read logs through it, and it costs nothing unheard.
        builder.Logging.AddEventSourceLogger();
        builder.Logging.AddProvider(new BatchingConsoleLoggerProvider(format));
    }

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

namespace Sessions.SampleServer.Logging;

/// <summary>How the sample server writes its log lines (<c>SESSIONS_LOG_FORMAT</c>).</summary>
public enum LogFormat
{
    /// <summary>One line of text per entry: time, level, category and event id, message (the default).</summary>
    Console,

    /// <summary>One JSON object per line, with the fields of <c>AddJsonConsole()</c>: Timestamp, EventId, LogLevel, Category, Message, State.</summary>
    Json,
}

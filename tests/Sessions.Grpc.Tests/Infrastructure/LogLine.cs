namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>One captured log line.</summary>
public sealed record LogLine(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

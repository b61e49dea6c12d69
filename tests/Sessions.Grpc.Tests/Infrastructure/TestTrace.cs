using System.Diagnostics;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>
/// Runs a test's calls under a trace of their own, so that spans can be told from those of tests running in parallel:
/// the client sends the trace to the server, whose ASP.NET Core activity (listened to with <see cref="SourceName"/>)
/// carries it to the spans of the sessions service.
/// </summary>
public static class TestTrace
{
    /// <summary>The test's own activity source; a listener must listen to it and to <c>Microsoft.AspNetCore</c>.</summary>
    public const string SourceName = "Sessions.Grpc.Tests";

    private static readonly ActivitySource s_source = new(SourceName);

    /// <summary>Runs <paramref name="calls"/> under a new trace and returns its id.</summary>
    public static async Task<ActivityTraceId> RunAsync(Func<Task> calls)
    {
        using var parent = s_source.StartActivity("test") ?? throw new InvalidOperationException($"Nobody listens to {SourceName}.");
        await calls();
        return parent.TraceId;
    }
}

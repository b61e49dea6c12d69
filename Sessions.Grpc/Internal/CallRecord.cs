namespace Sessions.Grpc.Internal;

/// <summary>What a call handler tells the service edge for the call's log line: its outcome and session id.</summary>
internal sealed class CallRecord
{
    /// <summary>The outcome: <c>issued</c>, <c>valid</c>, a failure reason name, or a status code name.</summary>
    public string? Outcome { get; set; }

    /// <summary>The session id (<c>jti</c>), once known.</summary>
    public string? SessionId { get; set; }

    /// <summary>Whether the call ended with a reply.</summary>
    public bool Succeeded { get; set; }

    /// <summary>Whether the call's log line was already written (by the unexpected-failure path).</summary>
    public bool Logged { get; set; }
}

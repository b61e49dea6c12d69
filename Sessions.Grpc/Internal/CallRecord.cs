namespace Sessions.Grpc.Internal;

/// <summary>What a call handler tells the service edge for the call's log line: its outcome and session id.</summary>
internal sealed class CallRecord
{
    /// <summary>The outcome: <see cref="CallOutcome.Issued"/>, <see cref="CallOutcome.Valid"/>, a refusal, ...</summary>
    public CallOutcome? Outcome { get; set; }

    /// <summary>The session id (<c>jti</c>), once known.</summary>
    public string? SessionId { get; set; }

    /// <summary>Whether the call ended with a reply.</summary>
    public bool Succeeded { get; set; }

    /// <summary>Whether the call's log line was already written (by the unexpected-failure path).</summary>
    public bool Logged { get; set; }
}

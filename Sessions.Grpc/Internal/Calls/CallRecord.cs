using Grpc.Core;

namespace Sessions.Grpc.Internal.Calls;

/// <summary>What a call handler tells the service edge for the call's log line: its outcome and session id.</summary>
internal sealed class CallRecord
{
    /// <summary>The outcome: <see cref="CallOutcome.Issued"/>, <see cref="CallOutcome.Valid"/>, a refusal, ...</summary>
    public CallOutcome? Outcome { get; set; }

    /// <summary>The session id (<c>jti</c>), once known.</summary>
    public string? SessionId { get; set; }

    /// <summary>Whether the call ended with a reply.</summary>
    public bool Succeeded { get; set; }

    /// <summary>Whether the call needs the session store (it asked for the lifecycle), so that its reply says the store answers.</summary>
    public bool UsesStore { get; set; }

    /// <summary>Whether the call's log line was already written (by the unexpected-failure path).</summary>
    public bool Logged { get; set; }

    /// <summary>The status of a refused call, to be returned as a faulted task rather than thrown.</summary>
    public RpcException? Refusal { get; private set; }

    /// <summary>Records a refusal of the caller's input; returns the <see langword="null"/> reply that says so.</summary>
    public TReply? Refuse<TReply>(CallOutcome outcome, RpcException refusal)
        where TReply : class
    {
        Outcome = outcome;
        Refusal = refusal;
        return null;
    }
}

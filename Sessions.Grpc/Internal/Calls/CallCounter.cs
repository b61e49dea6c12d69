namespace Sessions.Grpc.Internal.Calls;

/// <summary>Which of <see cref="SessionsTelemetry"/>'s counters a call adds to, besides the duration every call records.</summary>
internal enum CallCounter
{
    /// <summary>None (GetKeys, ListSessions).</summary>
    None,

    /// <summary><c>sessions.issued</c>, for every session issued.</summary>
    Issued,

    /// <summary><c>sessions.validations</c>, by outcome and failure reason.</summary>
    Validations,

    /// <summary><c>sessions.refreshes</c>, by outcome; a refreshed session is also counted as issued.</summary>
    Refreshes,

    /// <summary><c>sessions.revocations</c>, by outcome.</summary>
    Revocations,
}

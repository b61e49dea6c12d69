namespace Sessions.Redis.Internal;

/// <summary>What one <c>WAIT</c> of the revocations' connection found.</summary>
/// <param name="Required">The replicas it waited for: the wanted number, or as many as the primary has; 0 when it has none (no <c>WAIT</c> was sent).</param>
/// <param name="Acknowledged">How many acknowledged within the timeout.</param>
internal readonly record struct ReplicaWaitResult(int Required, long Acknowledged);

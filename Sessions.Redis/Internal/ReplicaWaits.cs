namespace Sessions.Redis.Internal;

/// <summary>
/// The <c>WAIT</c>s the revocations' connection sends to one primary, run one at a time. <c>WAIT</c> blocks its
/// connection on the primary, so the writes of revocations made while one runs are answered only after it, and each
/// revocation then ran a <c>WAIT</c> of its own, one after the other: a burst of revocations against a lagging replica
/// took one acknowledgement timeout per revocation, and the last writes timed out behind them. Now every revocation
/// whose writes were answered while a <c>WAIT</c> runs shares the next one, sent once that one ends: it covers all their
/// writes (<c>WAIT</c> covers every write its connection sent before it). No revocation waits for more than three: the
/// one its writes arrive behind, the one running when they are answered, and the one it shares.
/// </summary>
internal sealed class ReplicaWaits
{
    private readonly Func<Task<ReplicaWaitResult>> _wait;
    private readonly Lock _gate = new();
    private Task<ReplicaWaitResult>? _running;
    private Task<ReplicaWaitResult>? _next;

    /// <param name="wait">Sends one <c>WAIT</c> on the revocations' connection to this primary.</param>
    public ReplicaWaits(Func<Task<ReplicaWaitResult>> wait) => _wait = wait;

    /// <summary>
    /// A <c>WAIT</c> sent after this call: call it once the writes it must cover have been answered. Never one that was
    /// already sent, which may have gone ahead of them.
    /// </summary>
    public Task<ReplicaWaitResult> AfterWritesAsync()
    {
        lock (_gate)
        {
            if (_next is { IsCompleted: false } next)
            {
                return next;
            }

            if (_running is null || _running.IsCompleted)
            {
                return _running = _wait();
            }

            return _next = NextAsync(_running);
        }
    }

    private async Task<ReplicaWaitResult> NextAsync(Task<ReplicaWaitResult> running)
    {
        // Always after AfterWritesAsync has stored this task as _next and left the lock: run on inline, it would clear
        // _next before it is set and leave it pointing at a WAIT already sent.
        await ((Task)running).ConfigureAwait(ConfigureAwaitOptions.ForceYielding | ConfigureAwaitOptions.SuppressThrowing);
        Task<ReplicaWaitResult> mine;
        lock (_gate)
        {
            _next = null;
            mine = _running = _wait();
        }

        return await mine.ConfigureAwait(false);
    }
}

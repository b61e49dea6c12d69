namespace Sessions.Internal;

/// <summary>
/// Bounds the log lines of a failure that every call can meet — a store that cannot be reached fails each call, and
/// under load that is thousands a second: the first failure is written at once, then at most one line per
/// <see cref="Interval"/>, which says how many were not written since the line before; <see cref="Answered"/> ends
/// the episode once the dependency answers again, with what it cost. Time comes from the host's
/// <see cref="TimeProvider"/>. Thread-safe. Linked into each package that logs such failures (Shared/ at the
/// repository root).
/// </summary>
internal sealed class RepeatedFailures(TimeProvider timeProvider)
{
    /// <summary>The least time between two lines of one episode: 10 seconds.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private bool _failing;
    private bool _failedSinceAnswered;
    private long _started;
    private long _lastLine;
    private int _unwritten;
    private long _failures;

    /// <summary>Counts a failure and says whether to write a line for it.</summary>
    /// <returns>
    /// Not <see cref="FailureLine.Write"/> within <see cref="Interval"/> of the last line (the failure is counted);
    /// otherwise the line to write, with <see cref="FailureLine.NotWritten"/> the failures left out since the last one
    /// (0 for the first failure of an episode).
    /// </returns>
    public FailureLine Failed()
    {
        var now = timeProvider.GetTimestamp();
        lock (_lock)
        {
            _failures++;
            _failedSinceAnswered = true;
            if (!_failing)
            {
                _failing = true;
                _started = now;
                _lastLine = now;
                return new FailureLine(true, 0, TimeSpan.Zero);
            }

            var since = timeProvider.GetElapsedTime(_lastLine, now);
            if (since < Interval)
            {
                _unwritten++;
                return default;
            }

            var notWritten = _unwritten;
            _unwritten = 0;
            _lastLine = now;
            return new FailureLine(true, notWritten, since);
        }
    }

    /// <summary>
    /// Reports that the dependency answered (a successful poll). The episode ends when nothing failed since the answer
    /// before, so that an answer among failures that go on does not end it.
    /// </summary>
    /// <returns>What the episode that ended cost; <see langword="null"/> when none ended.</returns>
    public FailureEpisode? Answered()
    {
        // Checked without the lock first: callers answer on hot paths (every call that used the store), and with no
        // episode going on there is nothing to end or reset.
        if (!Volatile.Read(ref _failing))
        {
            return null;
        }

        lock (_lock)
        {
            if (!_failing || _failedSinceAnswered)
            {
                _failedSinceAnswered = false;
                return null;
            }

            var episode = new FailureEpisode(_failures, _unwritten, timeProvider.GetElapsedTime(_started));
            _failing = false;
            _failures = 0;
            _unwritten = 0;
            return episode;
        }
    }
}

/// <summary>What <see cref="RepeatedFailures.Failed"/> says to write.</summary>
/// <param name="Write">Whether to write a line for this failure.</param>
/// <param name="NotWritten">How many failures since the last line were not written.</param>
/// <param name="SinceLastLine">How long ago the last line was written.</param>
internal readonly record struct FailureLine(bool Write, int NotWritten, TimeSpan SinceLastLine);

/// <summary>An episode of failures that ended.</summary>
/// <param name="Failures">How many failures it had.</param>
/// <param name="NotWritten">How many of them, since its last line, were not written.</param>
/// <param name="Duration">From its first failure to its end.</param>
internal readonly record struct FailureEpisode(long Failures, int NotWritten, TimeSpan Duration);

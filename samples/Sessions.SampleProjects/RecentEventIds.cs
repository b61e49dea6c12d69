namespace Sessions.SampleProjects;

/// <summary>
/// The ids of the last session events handled, so that an event delivered again (the stream delivers at least once:
/// after a consumer crash, to another consumer of the group) is acted on once. Bounded: the oldest ids are forgotten
/// first, long after any redelivery.
/// </summary>
internal sealed class RecentEventIds(int capacity)
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    /// <summary>Records <paramref name="eventId"/>; <see langword="false"/> when it was already recorded.</summary>
    public bool Add(string eventId)
    {
        lock (_lock)
        {
            if (!_ids.Add(eventId))
            {
                return false;
            }

            _order.Enqueue(eventId);
            if (_order.Count > capacity)
            {
                _ids.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}

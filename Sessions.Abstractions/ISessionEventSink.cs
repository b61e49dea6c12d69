namespace Sessions;

/// <summary>
/// Receives the lifecycle's events once the change they report is stored (a Redis Stream ships; Kafka or RabbitMQ
/// sinks implement the same). Every registered sink gets every event.
/// </summary>
/// <remarks>
/// A sink that throws does not undo the change: the lifecycle logs the failure and the call succeeds. Implementations
/// are thread-safe.
/// </remarks>
public interface ISessionEventSink
{
    /// <summary>Publishes one event.</summary>
    /// <param name="sessionEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the publication.</param>
    /// <returns>
    /// A task that completes once the sink has taken the event: published, or queued by a sink that publishes in the
    /// background so that a slow broker never holds up the call (as <c>RedisSessionEventSink</c> does; such a sink says
    /// what a crash can lose).
    /// </returns>
    ValueTask PublishAsync(SessionEvent sessionEvent, CancellationToken cancellationToken = default);
}

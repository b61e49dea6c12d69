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
    /// <returns>A task that completes once the event is published.</returns>
    ValueTask PublishAsync(SessionEvent sessionEvent, CancellationToken cancellationToken = default);
}

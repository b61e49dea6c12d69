namespace Sessions;

/// <summary>A lifecycle event for other services: drop a cache, close a websocket, write an audit line.</summary>
/// <param name="EventId">A unique id; consumers that may see an event twice (at-least-once delivery) use it to act once.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Subject">The subject (user id); <see langword="null"/> for a session revoked by id that its store knew nothing of.</param>
/// <param name="SessionId">The session concerned; <see langword="null"/> for <see cref="SessionEventKind.RevokedAll"/>.</param>
/// <param name="ChainId">The refresh chain concerned, where there is one.</param>
/// <param name="OccurredAt">When it happened.</param>
public sealed record SessionEvent(string EventId, SessionEventKind Kind, string? Subject, string? SessionId, string? ChainId, DateTimeOffset OccurredAt);

using System.Collections.Concurrent;
using Sessions.SampleProjects.Protocol;

namespace Sessions.SampleProjects;

/// <summary>
/// What this service keeps per session: the <c>ListProjects</c> reply each session last got, until the session expires,
/// its owner creates a project, or the session server says the session ended. With <c>SESSIONS_EVENTS_REDIS</c> the
/// session events (<see cref="Apply"/>) drop the entries of a revoked session, of every session of a user revoked with
/// <c>RevokeAll</c>, and of a user whose refresh token was replayed (<c>reuse_detected</c>: the whole chain is revoked),
/// at once rather than at their expiry.
/// </summary>
/// <remarks>
/// This service validates tokens with the published keys only, so a revoked session is refused here when its token
/// expires, not before; share the session server's revocation list to refuse it at once (docs/revocation-and-refresh.md).
/// </remarks>
public sealed class SessionCache(TimeProvider timeProvider)
{
    /// <summary>The most sessions cached at once: 100,000; beyond it, replies are computed without being kept.</summary>
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly RecentEventIds _handled = new(10_000);

    /// <summary>How many sessions have cached data.</summary>
    public int Count => _entries.Count;

    /// <summary>Whether the session <paramref name="sessionId"/> has cached data.</summary>
    /// <param name="sessionId">The session id (<c>jti</c>).</param>
    /// <returns><see langword="true"/> when an entry is held for it.</returns>
    public bool Contains(string sessionId) => _entries.ContainsKey(sessionId);

    /// <summary>The cached reply of <paramref name="session"/>, or <paramref name="load"/>'s, kept until the session expires.</summary>
    /// <param name="session">The caller's validated session.</param>
    /// <param name="load">Computes the reply when none is cached.</param>
    /// <returns>The reply.</returns>
    public ListProjectsReply GetOrAdd(Session session, Func<ListProjectsReply> load)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(load);
        if (_entries.TryGetValue(session.Id, out var cached) && cached.ExpiresAt > timeProvider.GetUtcNow())
        {
            return cached.Reply;
        }

        var reply = load();
        if (cached is not null || _entries.Count < MaxEntries)
        {
            _entries[session.Id] = new Entry(session.Subject, session.ExpiresAt, reply);
        }

        return reply;
    }

    /// <summary>Drops the entries of every session of <paramref name="subject"/>.</summary>
    /// <param name="subject">The user.</param>
    public void ForgetSubject(string subject)
    {
        foreach (var (sessionId, entry) in _entries)
        {
            if (entry.Subject == subject)
            {
                _entries.TryRemove(sessionId, out _);
            }
        }
    }

    /// <summary>
    /// Acts on a session event once per <see cref="SessionEvent.EventId"/>: <c>revoked</c> drops the session's entry,
    /// <c>revoked_all</c> and <c>reuse_detected</c> those of every session of the user; other kinds change nothing.
    /// </summary>
    /// <param name="sessionEvent">The event, as the session server published it.</param>
    /// <returns><see langword="false"/> when the event was handled before (a redelivery), and nothing was done.</returns>
    public bool Apply(SessionEvent sessionEvent)
    {
        ArgumentNullException.ThrowIfNull(sessionEvent);
        if (!_handled.Add(sessionEvent.EventId))
        {
            return false;
        }

        switch (sessionEvent)
        {
            case { Kind: SessionEventKind.Revoked, SessionId: { } sessionId }:
                _entries.TryRemove(sessionId, out _);
                break;
            case { Kind: SessionEventKind.RevokedAll or SessionEventKind.ReuseDetected, Subject: { } subject }:
                ForgetSubject(subject);
                break;
        }

        return true;
    }

    private sealed record Entry(string Subject, DateTimeOffset ExpiresAt, ListProjectsReply Reply);
}

using System.Buffers.Binary;
using System.Collections.Concurrent;
using Sessions.Lifecycle.Internal;

namespace Sessions.Lifecycle;

/// <summary>
/// A local, in-memory set of revocations for the validation hot path: revoked session ids, and subjects whose
/// sessions issued at or before an instant are revoked. Stores keep one current and answer
/// <see cref="ISessionRevocationList.Check"/> from it without I/O.
/// </summary>
/// <remarks>
/// Thread-safe. A lookup allocates nothing while the set is empty; otherwise it reads the session's id. Entries
/// expire: <see cref="Purge"/> drops those whose tokens have expired.
/// </remarks>
public sealed class SessionRevocationSet
{
    private readonly ConcurrentDictionary<string, long> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SubjectRevocation> _subjects = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>How many revocations the set holds.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds a revoked session, kept until <paramref name="expiresAt"/>.</summary>
    /// <param name="sessionId">The session id (<c>jti</c>).</param>
    /// <param name="expiresAt">When the session's token expires (allowing for clock skew).</param>
    public void AddSession(string sessionId, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var expires = expiresAt.ToUnixTimeMilliseconds();
        var added = false;
        _sessions.AddOrUpdate(
            sessionId,
            _ => { added = true; return expires; },
            (_, existing) => { added = false; return Math.Max(existing, expires); });
        if (added)
        {
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>
    /// Revokes every session of <paramref name="subject"/> issued at or before <paramref name="issuedAtOrBefore"/>,
    /// kept until <paramref name="keepUntil"/>. An earlier instant than one already held changes nothing.
    /// </summary>
    /// <param name="subject">The subject (user id); a UUID is one subject in any spelling (upper case, braces, no hyphens).</param>
    /// <param name="issuedAtOrBefore">Sessions issued at or before this instant are revoked.</param>
    /// <param name="keepUntil">When the longest session issued by then expires.</param>
    public void AddSubject(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil)
    {
        ArgumentNullException.ThrowIfNull(subject);
        subject = SubjectKey.Of(subject);
        var entry = new SubjectRevocation(issuedAtOrBefore.ToUnixTimeMilliseconds(), keepUntil.ToUnixTimeMilliseconds());
        var added = false;
        _subjects.AddOrUpdate(
            subject,
            _ => { added = true; return entry; },
            (_, existing) => { added = false; return new SubjectRevocation(Math.Max(existing.Before, entry.Before), Math.Max(existing.KeepUntil, entry.KeepUntil)); });
        if (added)
        {
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>Whether <paramref name="session"/> is covered by a revocation in the set.</summary>
    /// <param name="session">The session.</param>
    /// <returns>
    /// <see langword="true"/> when its id is revoked, or its subject as of an instant at or after its issue (to the
    /// millisecond when its id carries the time, a version 7 UUID; otherwise to the second of <c>iat</c>).
    /// </returns>
    public bool Contains(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (Volatile.Read(ref _count) == 0)
        {
            return false;
        }

        return (TryGetSubject(session.Subject, out var subject) && IssuedAtMilliseconds(session) <= subject.Before)
            || _sessions.ContainsKey(session.Id);
    }

    /// <summary>
    /// When <paramref name="session"/> was issued, to the millisecond when its id says. A token's <c>iat</c> has whole
    /// seconds, so it cannot tell a session issued in the second of a revocation of its subject before the revocation
    /// from one issued after it (a "log out everywhere" followed by a new login). An id that is a version 7 UUID, as
    /// <c>JwtSessionIssuer</c> makes them, carries the issue time to the millisecond; it is used when it falls in the
    /// <c>iat</c> second. Any other id keeps the whole second, which counts such a session as issued before.
    /// </summary>
    private static long IssuedAtMilliseconds(Session session)
    {
        var issuedAt = session.IssuedAt.ToUnixTimeMilliseconds();
        if (Guid.TryParseExact(session.Id, "D", out var id) && id.Version == 7)
        {
            Span<byte> bytes = stackalloc byte[16];
            id.TryWriteBytes(bytes, bigEndian: true, out _);
            var milliseconds = (long)(BinaryPrimitives.ReadUInt64BigEndian(bytes) >> 16);
            if (milliseconds / 1000 == issuedAt / 1000)
            {
                return milliseconds;
            }
        }

        return issuedAt;
    }

    /// <summary>Whether the session id is revoked.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <returns><see langword="true"/> when it is in the set.</returns>
    public bool ContainsSession(string sessionId) => Volatile.Read(ref _count) != 0 && _sessions.ContainsKey(sessionId);

    /// <summary>Whether the set holds a revocation of <paramref name="subject"/>.</summary>
    /// <param name="subject">The subject.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool HasSubject(string subject) => Volatile.Read(ref _count) != 0 && TryGetSubject(subject, out _);

    /// <summary>Whether something of <paramref name="subject"/> issued at <paramref name="issuedAt"/> is revoked.</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="issuedAt">When the session or refresh token was issued.</param>
    /// <returns><see langword="true"/> when a revocation of the subject covers that instant.</returns>
    public bool IsSubjectRevoked(string subject, DateTimeOffset issuedAt) =>
        Volatile.Read(ref _count) != 0 && TryGetSubject(subject, out var entry) && issuedAt.ToUnixTimeMilliseconds() <= entry.Before;

    // The exact text first: the sessions service's subjects are kept as they are written.
    private bool TryGetSubject(string subject, out SubjectRevocation entry) =>
        _subjects.TryGetValue(subject, out entry) || (SubjectKey.Of(subject) is var key && !ReferenceEquals(key, subject) && _subjects.TryGetValue(key, out entry));

    /// <summary>Drops every revocation whose tokens have all expired by <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>How many revocations were dropped.</returns>
    public int Purge(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var removed = 0;
        foreach (var (id, expires) in _sessions)
        {
            if (expires <= nowMs && _sessions.TryRemove(new KeyValuePair<string, long>(id, expires)))
            {
                removed++;
            }
        }

        foreach (var (subject, entry) in _subjects)
        {
            if (entry.KeepUntil <= nowMs && _subjects.TryRemove(new KeyValuePair<string, SubjectRevocation>(subject, entry)))
            {
                removed++;
            }
        }

        Interlocked.Add(ref _count, -removed);
        return removed;
    }

    private readonly record struct SubjectRevocation(long Before, long KeepUntil);
}

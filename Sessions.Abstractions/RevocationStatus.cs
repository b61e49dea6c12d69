namespace Sessions;

/// <summary>
/// What an <see cref="ISessionRevocationList"/> knows about a session.
/// </summary>
public enum RevocationStatus
{
    /// <summary>The session is not revoked, and the list is current (or stale within its documented tolerance).</summary>
    NotRevoked = 0,

    /// <summary>The session was revoked: by its id, or because every session of its subject issued by then was.</summary>
    Revoked,

    /// <summary>
    /// The list cannot tell: its store has been unreachable for longer than it tolerates, so revocations made since
    /// may be missing. What the validator does then is <see cref="RevocationUnavailableBehavior"/>.
    /// </summary>
    Unknown,
}

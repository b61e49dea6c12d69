namespace Sessions;

/// <summary>What happened to a session. The names are stable: they appear on the wire of event streams.</summary>
public enum SessionEventKind
{
    /// <summary>A session with a refresh chain was created.</summary>
    Created = 0,

    /// <summary>A chain was refreshed: a new session and refresh token were issued.</summary>
    Refreshed,

    /// <summary>A session (and the chain it came from) was revoked.</summary>
    Revoked,

    /// <summary>Every session and chain of a subject issued until then was revoked.</summary>
    RevokedAll,

    /// <summary>A used refresh token was presented after the grace period: its chain and sessions are now revoked.</summary>
    ReuseDetected,
}

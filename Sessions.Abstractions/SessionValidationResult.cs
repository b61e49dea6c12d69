using System.Diagnostics.CodeAnalysis;

namespace Sessions;

/// <summary>
/// The outcome of validating a token: the session, or the reason it was refused.
/// </summary>
public readonly struct SessionValidationResult : IEquatable<SessionValidationResult>
{
    private SessionValidationResult(Session? session, SessionFailureReason failureReason, Session? revokedSession = null)
    {
        Session = session;
        FailureReason = failureReason;
        RevokedSession = revokedSession;
    }

    /// <summary>The validated session; <see langword="null"/> when <see cref="IsValid"/> is <see langword="false"/>.</summary>
    public Session? Session { get; }

    /// <summary>Why the token was refused; <see cref="SessionFailureReason.None"/> when it is valid.</summary>
    public SessionFailureReason FailureReason { get; }

    /// <summary>
    /// The session of an authentic token that was refused as <see cref="SessionFailureReason.Revoked"/> (so that a
    /// revocation by token can still reach what the session belongs to); <see langword="null"/> otherwise, and always
    /// when the result is valid. Never treat it as a valid session.
    /// </summary>
    public Session? RevokedSession { get; }

    /// <summary>Whether the token is valid.</summary>
    [MemberNotNullWhen(true, nameof(Session))]
    public bool IsValid => Session is not null;

    /// <summary>A successful result.</summary>
    /// <param name="session">The validated session.</param>
    /// <returns>A result whose <see cref="IsValid"/> is <see langword="true"/>.</returns>
    public static SessionValidationResult Success(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new SessionValidationResult(session, SessionFailureReason.None);
    }

    /// <summary>A failed result.</summary>
    /// <param name="reason">Why the token was refused. Must not be <see cref="SessionFailureReason.None"/>.</param>
    /// <returns>A result whose <see cref="IsValid"/> is <see langword="false"/>.</returns>
    public static SessionValidationResult Failure(SessionFailureReason reason)
    {
        if (reason == SessionFailureReason.None)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "A failure needs a reason other than None.");
        }

        return new SessionValidationResult(null, reason);
    }

    /// <summary>A result refusing an authentic token because its session is revoked.</summary>
    /// <param name="session">The revoked session, kept in <see cref="RevokedSession"/>.</param>
    /// <returns>A result whose <see cref="IsValid"/> is <see langword="false"/> and whose reason is <see cref="SessionFailureReason.Revoked"/>.</returns>
    public static SessionValidationResult Revoked(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new SessionValidationResult(null, SessionFailureReason.Revoked, session);
    }

    /// <inheritdoc/>
    public bool Equals(SessionValidationResult other) =>
        ReferenceEquals(Session, other.Session) && FailureReason == other.FailureReason && ReferenceEquals(RevokedSession, other.RevokedSession);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SessionValidationResult other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Session, FailureReason, RevokedSession);

    /// <summary>Compares two results for equality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when both hold the same session and reason.</returns>
    public static bool operator ==(SessionValidationResult left, SessionValidationResult right) => left.Equals(right);

    /// <summary>Compares two results for inequality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(SessionValidationResult left, SessionValidationResult right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => IsValid ? $"Valid: {Session}" : $"Invalid: {FailureReason}";
}

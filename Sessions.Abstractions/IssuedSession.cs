namespace Sessions;

/// <summary>
/// A session that was just issued: the token to hand to the client and the facts it carries.
/// </summary>
public readonly struct IssuedSession : IEquatable<IssuedSession>
{
    /// <summary>
    /// Creates an issued session.
    /// </summary>
    /// <param name="token">The token to hand to the client.</param>
    /// <param name="sessionId">The session identifier (the token's <c>jti</c>).</param>
    /// <param name="issuedAt">When the session was issued.</param>
    /// <param name="expiresAt">When the session expires.</param>
    public IssuedSession(string token, Guid sessionId, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(token);
        Token = token;
        SessionId = sessionId;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>The token to hand to the client. Treat it as a secret: never log it.</summary>
    public string Token { get; }

    /// <summary>
    /// The session identifier, carried as the token's <c>jti</c> claim. Validating the token gives it back as
    /// <see cref="Session.Id"/>, a string: <c>SessionId.ToString()</c> (lower-case, with hyphens) equals it, which is
    /// the form to store, log and revoke by.
    /// </summary>
    public Guid SessionId { get; }

    /// <summary>When the session was issued (the <c>iat</c> claim), to the second.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>When the session expires (the <c>exp</c> claim), to the second.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <inheritdoc/>
    public bool Equals(IssuedSession other) =>
        string.Equals(Token, other.Token, StringComparison.Ordinal) && SessionId == other.SessionId &&
        IssuedAt == other.IssuedAt && ExpiresAt == other.ExpiresAt;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IssuedSession other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Token, SessionId, IssuedAt, ExpiresAt);

    /// <summary>Compares two issued sessions for equality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when both describe the same token.</returns>
    public static bool operator ==(IssuedSession left, IssuedSession right) => left.Equals(right);

    /// <summary>Compares two issued sessions for inequality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when they describe different tokens.</returns>
    public static bool operator !=(IssuedSession left, IssuedSession right) => !left.Equals(right);

    /// <summary>Describes the session without its token, so that it is safe to log.</summary>
    /// <returns>The session id and times.</returns>
    public override string ToString() => $"Session {SessionId} issued {IssuedAt:O} expires {ExpiresAt:O}";
}

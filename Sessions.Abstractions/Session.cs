namespace Sessions;

/// <summary>
/// A validated session: who it belongs to, its identifier, its times and its custom claims.
/// </summary>
/// <remarks>
/// Implementations may defer work that callers rarely need (formatting the identifier, reading custom claims) until
/// it is asked for; a derived class does so by using the protected constructor and overriding
/// <see cref="LoadClaims"/>.
/// </remarks>
public class Session
{
    private string? _id;
    private readonly Guid _guidId;
    private SessionClaims? _claims;

    /// <summary>
    /// Creates a session.
    /// </summary>
    /// <param name="subject">The subject (<c>sub</c>): the user the session belongs to.</param>
    /// <param name="id">The session identifier (<c>jti</c>).</param>
    /// <param name="issuedAt">When the session was issued (<c>iat</c>).</param>
    /// <param name="notBefore">When the session starts to be valid (<c>nbf</c>), if the token says.</param>
    /// <param name="expiresAt">When the session expires (<c>exp</c>).</param>
    /// <param name="claims">The custom claims; <see langword="null"/> to have <see cref="LoadClaims"/> supply them (none, unless overridden).</param>
    public Session(string subject, string id, DateTimeOffset issuedAt, DateTimeOffset? notBefore, DateTimeOffset expiresAt, SessionClaims? claims = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(id);
        Subject = subject;
        _id = id;
        IssuedAt = issuedAt;
        NotBefore = notBefore;
        ExpiresAt = expiresAt;
        _claims = claims;
    }

    /// <summary>
    /// Creates a session whose identifier is a UUID, formatted only when <see cref="Id"/> is read, and whose
    /// custom claims are read by <see cref="LoadClaims"/> only when <see cref="Claims"/> is read.
    /// </summary>
    /// <param name="subject">The subject (<c>sub</c>).</param>
    /// <param name="id">The session identifier (<c>jti</c>) as a UUID.</param>
    /// <param name="issuedAt">When the session was issued (<c>iat</c>).</param>
    /// <param name="notBefore">When the session starts to be valid (<c>nbf</c>), if the token says.</param>
    /// <param name="expiresAt">When the session expires (<c>exp</c>).</param>
    protected Session(string subject, Guid id, DateTimeOffset issuedAt, DateTimeOffset? notBefore, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Subject = subject;
        _guidId = id;
        IssuedAt = issuedAt;
        NotBefore = notBefore;
        ExpiresAt = expiresAt;
    }

    /// <summary>The subject (<c>sub</c>): the user the session belongs to.</summary>
    public string Subject { get; }

    /// <summary>
    /// The session identifier (<c>jti</c>), used to revoke the session and to correlate logs. The issuer returned it
    /// as <see cref="IssuedSession.SessionId"/>, a <see cref="Guid"/>; this is its text, <c>SessionId.ToString()</c>.
    /// </summary>
    public string Id => _id ??= LoadId();

    /// <summary>When the session was issued (<c>iat</c>).</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>When the session starts to be valid (<c>nbf</c>); <see langword="null"/> when the token does not say.</summary>
    public DateTimeOffset? NotBefore { get; }

    /// <summary>When the session expires (<c>exp</c>).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The custom claims: every claim of the token other than the registered ones.</summary>
    public SessionClaims Claims => _claims ??= LoadClaims();

    /// <summary>
    /// Produces <see cref="Id"/> on first access for a session made with the protected constructor. The default formats
    /// the UUID given to it; an implementation may instead read the identifier from the token only when asked.
    /// </summary>
    /// <returns>The session identifier.</returns>
    protected virtual string LoadId() => _guidId.ToString();

    /// <summary>
    /// Gets one custom claim. Unlike <see cref="Claims"/>, an implementation may read just this claim from the token,
    /// so asking for one claim costs nothing for the others.
    /// </summary>
    /// <param name="name">The claim name.</param>
    /// <param name="value">The claim value, when present.</param>
    /// <returns>Whether the session carries the claim.</returns>
    public bool TryGetClaim(string name, out SessionClaimValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _claims is not null ? _claims.TryGetValue(name, out value) : TryReadClaim(name, out value);
    }

    /// <summary>
    /// Reads one custom claim for <see cref="TryGetClaim"/> while <see cref="Claims"/> has not been read. The default
    /// reads all claims.
    /// </summary>
    /// <param name="name">The claim name.</param>
    /// <param name="value">The claim value, when present.</param>
    /// <returns>Whether the session carries the claim.</returns>
    protected virtual bool TryReadClaim(string name, out SessionClaimValue value) => Claims.TryGetValue(name, out value);

    /// <summary>
    /// Reads the custom claims on first access to <see cref="Claims"/>. The default returns no claims.
    /// </summary>
    /// <returns>The custom claims.</returns>
    protected virtual SessionClaims LoadClaims() => SessionClaims.Empty;

    /// <summary>Describes the session without any secret, so that it is safe to log.</summary>
    /// <returns>The session id, subject and expiry.</returns>
    public override string ToString() => $"Session {Id} of {Subject} expires {ExpiresAt:O}";
}

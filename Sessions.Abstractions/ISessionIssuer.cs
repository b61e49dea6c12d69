namespace Sessions;

/// <summary>
/// Issues session tokens.
/// </summary>
/// <remarks>
/// Implementations are thread-safe: one instance serves every concurrent caller.
/// </remarks>
public interface ISessionIssuer
{
    /// <summary>
    /// Issues a new session for <paramref name="subject"/>.
    /// </summary>
    /// <param name="subject">The subject (user id) the session belongs to. Must not be empty.</param>
    /// <param name="claims">
    /// Optional custom claims to carry in the session. Registered claim names (<c>iss</c>, <c>aud</c>, <c>sub</c>,
    /// <c>jti</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>) are refused.
    /// </param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The issued session: its token, identifier and times.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="subject"/> is empty or too long, or <paramref name="claims"/> break a documented limit or
    /// name a registered claim. The message names the offending value, never the token.
    /// </exception>
    ValueTask<IssuedSession> IssueAsync(string subject, SessionClaims? claims = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Issues a new session for <paramref name="subject"/> that expires at <paramref name="expiresNoLaterThan"/> at the
    /// latest (the end of a refresh chain), or earlier when the issuer's lifetime ends first.
    /// </summary>
    /// <param name="subject">The subject (user id) the session belongs to. Must not be empty.</param>
    /// <param name="claims">Optional custom claims, as for <see cref="IssueAsync(string, SessionClaims?, CancellationToken)"/>.</param>
    /// <param name="expiresNoLaterThan">The latest expiry the session may have.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The issued session.</returns>
    /// <exception cref="ArgumentException">The subject or a claim is not acceptable; the message names it, never the token.</exception>
    ValueTask<IssuedSession> IssueAsync(string subject, SessionClaims? claims, DateTimeOffset expiresNoLaterThan, CancellationToken cancellationToken = default);

    /// <summary>The longest a session issued now lives (from its <c>iat</c> to its <c>exp</c>).</summary>
    TimeSpan Lifetime { get; }
}

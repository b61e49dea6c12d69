namespace Sessions;

/// <summary>
/// The registered claim names (RFC 7519, section 4.1) a session token always carries. Custom claims may not use them.
/// </summary>
public static class SessionClaimNames
{
    /// <summary>The issuer: <c>iss</c>.</summary>
    public const string Issuer = "iss";

    /// <summary>The audience: <c>aud</c>.</summary>
    public const string Audience = "aud";

    /// <summary>The subject (user id): <c>sub</c>.</summary>
    public const string Subject = "sub";

    /// <summary>The session identifier: <c>jti</c>.</summary>
    public const string SessionId = "jti";

    /// <summary>The issue time: <c>iat</c>.</summary>
    public const string IssuedAt = "iat";

    /// <summary>The start of validity: <c>nbf</c>.</summary>
    public const string NotBefore = "nbf";

    /// <summary>The expiry: <c>exp</c>.</summary>
    public const string ExpiresAt = "exp";

    /// <summary>
    /// Whether <paramref name="name"/> is a registered claim that custom claims may not set.
    /// </summary>
    /// <param name="name">The claim name.</param>
    /// <returns><see langword="true"/> for <c>iss</c>, <c>aud</c>, <c>sub</c>, <c>jti</c>, <c>iat</c>, <c>nbf</c> and <c>exp</c>.</returns>
    // Every registered name is three characters long: most custom names are told apart by their length alone.
    public static bool IsRegistered(string name) => name?.Length == 3 && name is Issuer or Audience or Subject or SessionId or IssuedAt or NotBefore or ExpiresAt;
}

namespace Sessions.Grpc;

/// <summary>
/// The HTTP paths <c>MapSessions()</c> publishes the session server's public keys at, for validators that are not
/// written with this library (ASP.NET Core's JwtBearer, other languages' JWT libraries, API gateways).
/// </summary>
public static class SessionsWellKnownPaths
{
    /// <summary>
    /// The JSON Web Key Set (RFC 7517) of the public keys that validate sessions: <c>/.well-known/jwks.json</c>.
    /// HS256 secrets and private key parts are never published.
    /// </summary>
    public const string JsonWebKeySet = "/.well-known/jwks.json";

    /// <summary>
    /// A minimal OpenID Connect discovery document (<c>issuer</c>, <c>jwks_uri</c>, signing algorithms), enough for
    /// JwtBearer's <c>Authority</c>: <c>/.well-known/openid-configuration</c>.
    /// </summary>
    public const string OpenIdConfiguration = "/.well-known/openid-configuration";

    /// <summary>
    /// How long clients and proxies may cache both documents, in seconds: 300 (5 minutes), the default refresh
    /// interval of <c>JwksSessionKeySource</c>. The discovery document is <c>public</c> only when its <c>jwks_uri</c>
    /// comes from <see cref="SessionsServiceOptions.PublicBaseUrl"/>; built from the request's <c>Host</c>, it is
    /// <c>private</c> (no shared cache). Responses also carry an
    /// <c>ETag</c>, so a revalidation with <c>If-None-Match</c> costs a <c>304 Not Modified</c>.
    /// </summary>
    public const int MaxAgeSeconds = 300;
}

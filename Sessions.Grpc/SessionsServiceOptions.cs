namespace Sessions.Grpc;

/// <summary>
/// Options of the sessions service as a host publishes it: the address it is reached at. Set with
/// <c>services.Configure&lt;SessionsServiceOptions&gt;(...)</c> or from configuration: <c>AddSessions(section)</c> binds
/// them from the same section as <c>JwtSessionOptions</c> (<c>Sessions:PublicBaseUrl</c>). Validated when the host
/// starts.
/// </summary>
public sealed class SessionsServiceOptions
{
    /// <summary>
    /// The address validators reach this server's HTTP endpoints at, for example <c>https://sessions.example.com</c>
    /// or <c>https://example.com/sessions</c> behind a path prefix: the <c>jwks_uri</c> of the discovery document
    /// (<see cref="SessionsWellKnownPaths.OpenIdConfiguration"/>) is this address followed by
    /// <see cref="SessionsWellKnownPaths.JsonWebKeySet"/>. An absolute <c>http</c> or <c>https</c> URL without query or
    /// fragment.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: the document names the scheme and <c>Host</c> the request was made with,
    /// and since a caller chooses its <c>Host</c> header, that reply is marked <c>Cache-Control: private</c> so that no
    /// shared cache hands one caller's address to others. Set it in production so that caches and CDNs may keep the
    /// document.
    /// </value>
    public Uri? PublicBaseUrl { get; set; }
}

namespace Sessions.Jwt;

/// <summary>
/// Options of <see cref="JwksSessionKeySource"/>: where the session server publishes its keys and how often to look.
/// </summary>
public sealed class JwksSessionKeySourceOptions
{
    /// <summary>
    /// The JWKS address, an absolute <c>http://</c> or <c>https://</c> one, e.g.
    /// <c>http://sessions:3124/.well-known/jwks.json</c>. Required; no default.
    /// </summary>
    public Uri? JwksUri { get; set; }

    /// <summary>How often the keys are fetched on schedule. Defaults to 5 minutes; at least 1 second.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The shortest time between two fetches asked for by tokens with an unknown <c>kid</c>, so that a flood of
    /// forged key ids cannot turn into a flood of requests to the session server. Defaults to 10 seconds; not negative.
    /// </summary>
    public TimeSpan MinimumRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one fetch may take. Defaults to 5 seconds; more than 0, at most 5 minutes.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest JWKS document accepted, in bytes. Defaults to 1 MiB; 1,024 bytes to 64 MiB.</summary>
    public int MaxDocumentBytes { get; set; } = 1024 * 1024;
}

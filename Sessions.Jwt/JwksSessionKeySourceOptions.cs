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
    /// <remarks>
    /// Such a fetch says <c>Cache-Control: no-cache</c>: the key set held is then known to be out of date, so a shared
    /// HTTP cache in front of the session server must not answer it with a stored copy. Scheduled fetches do not.
    /// </remarks>
    public TimeSpan MinimumRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one fetch may take, from sending the request to the last byte of the key set; a fetch that takes longer
    /// fails, with a warning that names this option, and the last good keys stay in use. Defaults to 5 seconds; more
    /// than 0, at most 5 minutes.
    /// </summary>
    /// <remarks>
    /// A request whose token names a <c>kid</c> not known yet waits for a fetch: for up to this long, or, when a fetch
    /// is already under way and <see cref="MinimumRefreshInterval"/> allows one more, for that fetch to end and then
    /// for the next one (the one under way may have started before the key was published), so for up to twice this:
    /// 10 seconds by default. The cancellation token the request passes to the validator ends its wait sooner.
    /// </remarks>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest JWKS document accepted, in bytes. Defaults to 1 MiB; 1,024 bytes to 64 MiB.</summary>
    public int MaxDocumentBytes { get; set; } = 1024 * 1024;
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Jwt.Internal;
using Sessions.Jwt.Internal.Settings;
using Sessions.Jwt.Internal.Writing;

namespace Sessions.Jwt;

/// <summary>
/// Issues sessions as compact JWTs signed with the signing key: HS256 with <see cref="JwtSessionOptions.Secret"/>
/// (header <c>{"alg":"HS256","typ":"JWT"}</c>, no <c>kid</c>, as the original service wrote them), or the key of
/// <see cref="JwtSessionOptions.Keys"/> that <see cref="JwtSessionOptions.SigningKeyId"/> names (HS256, ES256, RS256 or
/// PS256, with its <c>kid</c>); claims <c>iss</c>, <c>aud</c>, <c>sub</c>, <c>jti</c> (a version 7 UUID), <c>iat</c>,
/// <c>nbf</c>, <c>exp</c> and any custom claims. Any standard JWT library given the secret or the published public key
/// verifies them.
/// </summary>
/// <remarks>Thread-safe. Signing allocates only the token string (and, with custom claims, nothing per call beyond it once warmed up).</remarks>
public sealed class JwtSessionIssuer : ISessionIssuer, IDisposable
{
    private readonly SessionTokenSettingsSource _settings;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an issuer from fixed options.</summary>
    /// <param name="options">The options; validated now.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    public JwtSessionIssuer(JwtSessionOptions options, TimeProvider? timeProvider = null)
        : this(options, null, timeProvider)
    {
    }

    /// <summary>Creates an issuer whose keys come from <paramref name="keys"/> (shared with a validator, or fetched from a session server).</summary>
    /// <param name="options">The options: issuer, audience, lifetime, limits. Their keys are ignored when <paramref name="keys"/> is given.</param>
    /// <param name="keys">The key source; <see langword="null"/> to use the keys of <paramref name="options"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    public JwtSessionIssuer(JwtSessionOptions options, ISessionKeySource? keys, TimeProvider? timeProvider = null)
    {
        _settings = new SessionTokenSettingsSource(options, keys, keepsSigner: true);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _settings.Current.WarmUp();
    }

    /// <summary>Creates an issuer that follows option changes (for dependency injection).</summary>
    /// <param name="options">The options monitor; a change swaps the settings atomically.</param>
    /// <param name="keys">The key source.</param>
    /// <param name="timeProvider">The clock.</param>
    public JwtSessionIssuer(IOptionsMonitor<JwtSessionOptions> options, ISessionKeySource keys, TimeProvider timeProvider)
        : this(options, keys, timeProvider, logger: null)
    {
    }

    /// <summary>As the public constructor, with a logger that says when a key set without a signing key leaves the previous one signing.</summary>
    internal JwtSessionIssuer(IOptionsMonitor<JwtSessionOptions> options, ISessionKeySource keys, TimeProvider timeProvider, ILogger<JwtSessionIssuer>? logger)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _settings = new SessionTokenSettingsSource(options, keys, keepsSigner: true, logger);
        _settings.Current.WarmUp();
        _timeProvider = timeProvider;
    }

    /// <inheritdoc/>
    public ValueTask<IssuedSession> IssueAsync(string subject, SessionClaims? claims = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<IssuedSession>(Issue(subject, claims));
    }

    /// <inheritdoc/>
    public ValueTask<IssuedSession> IssueAsync(string subject, SessionClaims? claims, DateTimeOffset expiresNoLaterThan, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<IssuedSession>(Issue(subject, claims, expiresNoLaterThan));
    }

    /// <inheritdoc/>
    public TimeSpan Lifetime => TimeSpan.FromSeconds(_settings.Current.LifetimeSeconds);

    /// <summary>
    /// Issues a new session for <paramref name="subject"/> synchronously: signing needs no I/O.
    /// </summary>
    /// <param name="subject">The subject (user id): 1 to 256 characters of valid UTF-16.</param>
    /// <param name="claims">Optional custom claims, checked against the configured limits before signing.</param>
    /// <returns>The issued session.</returns>
    /// <exception cref="ArgumentException">The subject or a claim is not acceptable; the message says which and why.</exception>
    public IssuedSession Issue(string subject, SessionClaims? claims = null) => Issue(subject, claims, notAfter: null);

    /// <summary>
    /// Issues a session synchronously that expires at <paramref name="notAfter"/> at the latest (the end of a refresh
    /// chain), and one second after it is issued at the earliest.
    /// </summary>
    /// <param name="subject">The subject (user id): 1 to 256 characters of valid UTF-16.</param>
    /// <param name="claims">Optional custom claims, checked against the configured limits before signing.</param>
    /// <param name="notAfter">The latest expiry; <see langword="null"/> for the configured lifetime.</param>
    /// <returns>The issued session.</returns>
    /// <exception cref="ArgumentException">The subject or a claim is not acceptable; the message says which and why.</exception>
    public IssuedSession Issue(string subject, SessionClaims? claims, DateTimeOffset? notAfter)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.Length is 0 or > SessionTokenSettings.MaxSubjectLength)
        {
            throw new ArgumentException($"The subject must be 1 to {SessionTokenSettings.MaxSubjectLength} characters long; it is {subject.Length}.", nameof(subject));
        }

        var settings = _settings.Current;
        var customClaims = claims is null || claims.Count == 0 ? default : CustomClaimsWriter.Write(claims, settings);

        var nowMilliseconds = UnixClock.NowMilliseconds(_timeProvider);
        var now = nowMilliseconds / 1000;
        var expires = now + settings.LifetimeSeconds;
        if (notAfter is { } limit)
        {
            expires = Math.Max(now + 1, Math.Min(expires, limit.ToUnixTimeSeconds()));
        }

        var sessionId = SessionIdGenerator.NewId(nowMilliseconds);
        var token = SessionTokenWriter.Write(settings, subject, sessionId, now, expires, customClaims);
        return new IssuedSession(token, sessionId, DateTimeOffset.FromUnixTimeSeconds(now), DateTimeOffset.FromUnixTimeSeconds(expires));
    }

    /// <summary>Releases the signing key (and zeroes the copy this issuer holds).</summary>
    public void Dispose() => _settings.Dispose();
}

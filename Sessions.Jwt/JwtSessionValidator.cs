using Microsoft.Extensions.Options;
using Sessions.Jwt.Internal;
using Sessions.Jwt.Internal.Reading;
using Sessions.Jwt.Internal.Settings;

namespace Sessions.Jwt;

/// <summary>
/// Validates session tokens strictly: size, shape, header (<c>alg</c> pinned to the algorithm of the key it names by
/// <c>kid</c>, or HS256 for the secret without <c>kid</c>; no <c>crit</c>, no unknown <c>kid</c>), signature checked
/// in fixed time, registered claims of the right JSON type, <c>exp</c> and <c>nbf</c> with the configured clock skew,
/// issuer and audience, and, with a revocation list, the revocations and what could outlast them. Never throws for a
/// bad token.
/// </summary>
/// <remarks>
/// Thread-safe. A refused token costs no allocation and no exception; a valid one allocates the session and its subject.
/// </remarks>
public sealed class JwtSessionValidator : ISessionValidator, IDisposable
{
    private readonly SessionTokenSettingsSource _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ISessionRevocationList? _revocations;

    /// <summary>Creates a validator from fixed options.</summary>
    /// <param name="options">The options; validated now.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    public JwtSessionValidator(JwtSessionOptions options, TimeProvider? timeProvider = null)
        : this(options, null, timeProvider)
    {
    }

    /// <summary>Creates a validator whose keys come from <paramref name="keys"/> (shared with an issuer, or fetched from a session server).</summary>
    /// <param name="options">The options: issuer, audience, lifetime, limits. Their keys are ignored when <paramref name="keys"/> is given.</param>
    /// <param name="keys">The key source; <see langword="null"/> to use the keys of <paramref name="options"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    public JwtSessionValidator(JwtSessionOptions options, ISessionKeySource? keys, TimeProvider? timeProvider = null)
        : this(options, keys, revocations: null, timeProvider)
    {
    }

    /// <summary>
    /// Creates a validator that also refuses revoked sessions: after a token passed every other check, it asks
    /// <paramref name="revocations"/> (an in-memory lookup, no I/O).
    /// </summary>
    /// <param name="options">The options: issuer, audience, lifetime, limits. Their keys are ignored when <paramref name="keys"/> is given.</param>
    /// <param name="keys">The key source; <see langword="null"/> to use the keys of <paramref name="options"/>.</param>
    /// <param name="revocations">The revocation list; <see langword="null"/> for none (tokens are stateless).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    public JwtSessionValidator(JwtSessionOptions options, ISessionKeySource? keys, ISessionRevocationList? revocations, TimeProvider? timeProvider = null)
    {
        _settings = new SessionTokenSettingsSource(options, keys);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _settings.Current.WarmUp();
        _revocations = revocations;
    }

    /// <summary>Creates a validator that follows option changes (for dependency injection).</summary>
    /// <param name="options">The options monitor; a change swaps the settings atomically.</param>
    /// <param name="keys">The key source.</param>
    /// <param name="timeProvider">The clock.</param>
    public JwtSessionValidator(IOptionsMonitor<JwtSessionOptions> options, ISessionKeySource keys, TimeProvider timeProvider)
        : this(options, keys, timeProvider, revocations: null)
    {
    }

    /// <summary>Creates a validator that follows option changes and refuses revoked sessions (for dependency injection).</summary>
    /// <param name="options">The options monitor; a change swaps the settings atomically.</param>
    /// <param name="keys">The key source.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="revocations">The revocation list; <see langword="null"/> for none.</param>
    public JwtSessionValidator(IOptionsMonitor<JwtSessionOptions> options, ISessionKeySource keys, TimeProvider timeProvider, ISessionRevocationList? revocations)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _settings = new SessionTokenSettingsSource(options, keys);
        _settings.Current.WarmUp();
        _timeProvider = timeProvider;
        _revocations = revocations;
    }

    /// <inheritdoc/>
    public TimeSpan ClockSkew => TimeSpan.FromSeconds(_settings.Current.ClockSkewSeconds);

    /// <inheritdoc/>
    public ValueTask<SessionValidationResult> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = _settings.Current;
        var result = Validate(token, settings);
        // A key set fetched from a JWKS holds no key without kid (each published key needs one), so no fetch can find
        // the key of a token that names none (an HS256 token of a shared secret): it is UnknownKey at once, asks for no
        // fetch, and is not Unavailable while the session server cannot be reached, since no answer of it could make
        // the token valid.
        return result.FailureReason == SessionFailureReason.UnknownKey && !(_settings.KeySource is JwksSessionKeySource && !JoseHeaderReader.NamesKeyId(token!))
            ? RetryAfterRefreshAsync(token, settings, result, cancellationToken)
            : new ValueTask<SessionValidationResult>(result);
    }

    /// <summary>Validates <paramref name="token"/> synchronously: validation needs no I/O.</summary>
    /// <param name="token">The compact token. May be <see langword="null"/> or empty.</param>
    /// <returns>The validated session, or the reason the token was refused.</returns>
    public SessionValidationResult Validate(string? token) => Validate(token, _settings.Current);

    private SessionValidationResult Validate(string? token, SessionTokenSettings settings)
    {
        var now = UnixClock.NowMilliseconds(_timeProvider);
        var reason = SessionTokenReader.Read(settings, token, now, out var session);
        if (reason != SessionFailureReason.None)
        {
            return SessionValidationResult.Failure(reason);
        }

        if (_revocations is not null)
        {
            if (OutlastsRevocation(session!, settings, now) is var outlasts and not SessionFailureReason.None)
            {
                return SessionValidationResult.Failure(outlasts);
            }

            switch (_revocations.Check(session!))
            {
                case RevocationStatus.Revoked:
                    return SessionValidationResult.Revoked(session!);
                case RevocationStatus.Unknown when _revocations.UnavailableBehavior == RevocationUnavailableBehavior.Reject:
                    return SessionValidationResult.Failure(SessionFailureReason.Unavailable);
            }
        }

        return SessionValidationResult.Success(session!);
    }

    // A revocation is kept as long as a token issued until then can be accepted: Lifetime after its issue, with the
    // clock skew (SessionLifecycle's revocations). A token that claims to live longer (another issuer's, or one issued
    // before Lifetime was shortened) or to be issued later than now could outlast its revocation, and is refused:
    // as expired, or as not yet valid. Without revocations nothing depends on it and RFC 7519's rules alone apply.
    private static SessionFailureReason OutlastsRevocation(Session session, SessionTokenSettings settings, long nowMilliseconds)
    {
        var issuedAt = session.IssuedAt.ToUnixTimeMilliseconds();
        if (issuedAt > nowMilliseconds + (settings.ClockSkewSeconds * 1000))
        {
            return SessionFailureReason.NotYetValid;
        }

        return session.ExpiresAt.ToUnixTimeMilliseconds() - issuedAt > settings.LifetimeSeconds * 1000
            ? SessionFailureReason.Expired
            : SessionFailureReason.None;
    }

    // A kid we do not know may be a key published a moment ago: ask the key source once (it throttles and shares the
    // fetch), so the new key works on the very first request that uses it.
    // Validation runs again only when the keys changed since the first try — by this refresh or by another caller's —
    // so a token naming a key that does not exist is not parsed twice.
    private async ValueTask<SessionValidationResult> RetryAfterRefreshAsync(string? token, SessionTokenSettings tried, SessionValidationResult first, CancellationToken cancellationToken)
    {
        await _settings.KeySource.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var current = _settings.Current;
        var result = ReferenceEquals(current, tried) ? first : Validate(token, current);

        // The keys could not be fetched: the key may exist, so this is the validator's trouble ("retry"), not the
        // token's ("log out").
        return result.FailureReason == SessionFailureReason.UnknownKey && _settings.KeySource is JwksSessionKeySource { LastFetchFailed: true }
            ? SessionValidationResult.Failure(SessionFailureReason.Unavailable)
            : result;
    }

    /// <summary>Releases the key (and zeroes the copy this validator holds).</summary>
    public void Dispose() => _settings.Dispose();
}

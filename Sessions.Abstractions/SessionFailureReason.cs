namespace Sessions;

/// <summary>
/// Why a token was refused. The names are stable: they appear in error messages, logs and metrics.
/// </summary>
public enum SessionFailureReason
{
    /// <summary>The token is valid.</summary>
    None = 0,

    /// <summary>No token was given, or it was empty.</summary>
    Missing,

    /// <summary>The token is longer than the configured maximum; it was refused before any parsing.</summary>
    TooLarge,

    /// <summary>
    /// The token is not a well-formed compact JWS: not three base64url segments, a header or payload that is not
    /// a JSON object, duplicated names, or characters outside base64url.
    /// </summary>
    Malformed,

    /// <summary>The header names an algorithm other than the one pinned for the key (including <c>none</c>).</summary>
    UnsupportedAlgorithm,

    /// <summary>
    /// The header carries a parameter the validator must understand but does not (<c>crit</c>), or a <c>typ</c>
    /// other than <c>JWT</c>.
    /// </summary>
    UnsupportedHeader,

    /// <summary>The header's <c>kid</c> names no key this validator knows.</summary>
    UnknownKey,

    /// <summary>The signature does not match: the token was altered or signed with another key.</summary>
    BadSignature,

    /// <summary>A required claim is missing or a registered claim has the wrong JSON type.</summary>
    InvalidClaims,

    /// <summary>The token's expiry (<c>exp</c>) has passed, allowing for the configured clock skew.</summary>
    Expired,

    /// <summary>The token's <c>nbf</c> is still in the future, allowing for the configured clock skew.</summary>
    NotYetValid,

    /// <summary>The token's issuer (<c>iss</c>) is not the expected one.</summary>
    WrongIssuer,

    /// <summary>The token's audience (<c>aud</c>) does not include the expected one.</summary>
    WrongAudience,

    /// <summary>The session was revoked.</summary>
    Revoked,

    /// <summary>
    /// The validator could not reach what it needs to decide (the revocation store, or the session server's keys for a
    /// token whose key it does not know yet): the client should retry, not discard the token.
    /// </summary>
    Unavailable,
}

namespace Sessions.Jwt.Tests.Differential;

/// <summary>
/// The places where our strict profile deliberately differs from <c>JsonWebTokenHandler</c>. A mutation is put in a
/// class by what it does to the token (never by the verdicts), and the differential test allows a disagreement only
/// inside the class of its mutation, and only in the direction <see cref="KnownDifferences.OursMayAccept"/> permits.
/// </summary>
internal enum KnownDifference
{
    /// <summary>No deliberate difference: both validators must agree.</summary>
    None,

    /// <summary>
    /// A <c>crit</c> header member. RFC 7515, section 4.1.11: a recipient must refuse a token listing an extension it
    /// does not implement; we implement none, so we refuse any <c>crit</c>. JsonWebTokenHandler ignores it.
    /// </summary>
    UnknownCrit,

    /// <summary>
    /// A registered claim of the wrong JSON type (sub/jti not a string, iat/nbf/exp not a number, aud not a string or
    /// array of strings, iss not a string). We refuse; JsonWebTokenHandler ignores sub, jti and iat, and coerces some
    /// time and audience values.
    /// </summary>
    ClaimWrongJsonType,

    /// <summary>
    /// Base64url that is padded or has non-zero unused trailing bits. We accept one spelling per token;
    /// JsonWebTokenHandler decodes leniently, so a sibling spelling of the signature still verifies there.
    /// </summary>
    NonCanonicalBase64,

    /// <summary>
    /// A member name given twice (header or payload), also when one of the two is escaped. We refuse as RFC 7515/7519
    /// allow ("MUST either reject ... or use a JSON parser that returns only the lexically last"); the handler keeps one.
    /// </summary>
    DuplicateNames,

    /// <summary>
    /// A <c>kid</c> header. Our key has no identifier, so any kid names a key we do not have (UnknownKey);
    /// JsonWebTokenHandler falls back to the configured key when none matches.
    /// </summary>
    KeyId,

    /// <summary>sub, jti or iat missing, or sub/jti empty: our sessions need them; JsonWebTokenHandler does not look.</summary>
    MissingRequiredClaim,

    /// <summary>
    /// <c>exp + skew</c> within the second up to now: our exp is exclusive as RFC 7519, section 4.1.4 says ("on or
    /// after ... MUST NOT be accepted") and keeps milliseconds; JsonWebTokenHandler accepts at <c>now == exp + skew</c>
    /// and drops the fraction of a fractional exp, so it still accepts for up to a second longer.
    /// </summary>
    ExpBoundary,

    /// <summary>
    /// nbf later than exp. Both refuse such a token (we with InvalidClaims: a session that starts after it ends is never
    /// valid), so this class should see no disagreement; it stays to classify the mutation should that ever change.
    /// </summary>
    NotBeforeAfterExpiry,

    /// <summary>
    /// Bytes after the header's or payload's JSON object (<c>{...} x</c>, <c>{...}{}</c>, a NUL): RFC 7515/7519 want one
    /// JSON object, so we refuse; JsonWebTokenHandler stops reading after the first object.
    /// </summary>
    TrailingData,

    /// <summary>
    /// Invalid UTF-8 in the decoded header or payload (RFC 7519, section 7.2 requires UTF-8): we refuse;
    /// JsonWebTokenHandler accepts it inside custom claim strings.
    /// </summary>
    InvalidUtf8,

    /// <summary>An escaped header member name: we refuse (no header we accept needs one); the handler unescapes.</summary>
    EscapedHeaderName,

    /// <summary>A <c>typ</c> other than JWT (any case): we refuse; the handler, with no ValidTypes, accepts any.</summary>
    TokenType,

    /// <summary>A NumericDate outside the range of DateTimeOffset: we refuse; the handler clamps or ignores it.</summary>
    NumericDateRange,

    /// <summary>More than 256 custom claims: we refuse to scan further; the handler has no such limit.</summary>
    TooManyClaims,

    /// <summary>A token longer than MaxTokenLength (8,192): we refuse before parsing; the handler's limit is 250 KB.</summary>
    TooLarge,

    /// <summary>
    /// JSON nested deeper than our readers allow: 16 levels in the header (no header we accept nests), 64 in the
    /// payload. We refuse; JsonWebTokenHandler allows 64 levels in the header too (in the payload both stop at 64).
    /// </summary>
    NestingDepth,
}

internal static class KnownDifferences
{
    /// <summary>
    /// Whether a disagreement in <paramref name="difference"/> may be one where we accept and JsonWebTokenHandler
    /// refuses: never. In every documented difference we are the stricter one.
    /// </summary>
    public static bool OursMayAccept(KnownDifference difference) => false;
}

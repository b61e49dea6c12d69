namespace Sessions.Jwt.Internal.Reading;

/// <summary>What the strict header reader found; anything other than <see cref="Ok"/> refuses the token.</summary>
internal enum HeaderCheck
{
    Ok,
    Malformed,
    UnsupportedAlgorithm,
    UnsupportedHeader,
    UnknownKey,
}

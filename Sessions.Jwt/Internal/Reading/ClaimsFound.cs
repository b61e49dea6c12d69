namespace Sessions.Jwt.Internal.Reading;

/// <summary>What <see cref="ClaimsScanner"/> read from a payload: times in Unix milliseconds, strings as ranges of the payload until a token proves valid.</summary>
internal struct ClaimsFound
{
    public bool IssuerMatches;
    public bool AudienceMatches;
    public long IssuedAt;
    public long ExpiresAt;
    public bool HasNotBefore;
    public long NotBefore;

    /// <summary>The subject when it had to be unescaped; otherwise <see cref="SubjectStart"/> and <see cref="SubjectLength"/> locate it.</summary>
    public string? Subject;
    public int SubjectStart;
    public int SubjectLength;

    /// <summary>The session id is a <see cref="LowerCaseUuid"/>, kept as <see cref="SessionGuid"/>.</summary>
    public bool SessionIdIsGuid;
    public Guid SessionGuid;

    /// <summary>The session id when it had to be unescaped; otherwise the range locates it (unless it is a GUID).</summary>
    public string? SessionId;
    public int SessionIdStart;
    public int SessionIdLength;

    public int CustomClaims;
}

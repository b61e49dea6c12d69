namespace Sessions.Lifecycle.Internal;

/// <summary>What a refresh hands out: the successor refresh token and the session issued with it.</summary>
internal sealed record SuccessorReply(
    string RefreshToken,
    DateTimeOffset RefreshExpiresAt,
    string SessionToken,
    Guid SessionId,
    DateTimeOffset SessionIssuedAt,
    DateTimeOffset SessionExpiresAt)
{
    public IssuedSession Session => new(SessionToken, SessionId, SessionIssuedAt, SessionExpiresAt);

    public override string ToString() => $"successor of session {SessionId}";
}

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>
/// A session lifecycle whose store cannot be reached: every call throws <see cref="SessionStoreUnavailableException"/>
/// with <paramref name="message"/>, as a store in an outage does.
/// </summary>
public sealed class UnreachableStoreLifecycle(string message) : ISessionLifecycle
{
    public Task<RefreshTokenIssued> IssueWithRefreshTokenAsync(string subject, SessionClaims? claims = null, string? description = null, CancellationToken cancellationToken = default) =>
        throw new SessionStoreUnavailableException(message);

    public Task<SessionRefreshResult> RefreshAsync(string? refreshToken, CancellationToken cancellationToken = default) =>
        throw new SessionStoreUnavailableException(message);

    public Task<DateTimeOffset> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        throw new SessionStoreUnavailableException(message);

    public Task<SessionFailureReason> RevokeTokenAsync(string? token, CancellationToken cancellationToken = default) =>
        throw new SessionStoreUnavailableException(message);

    public Task<DateTimeOffset> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default) =>
        throw new SessionStoreUnavailableException(message);

    public Task<IReadOnlyList<RefreshChainSummary>> ListSessionsAsync(string subject, CancellationToken cancellationToken = default) =>
        throw new SessionStoreUnavailableException(message);
}

namespace Sessions;

/// <summary>
/// One live refresh chain of a subject, as an account page shows it ("your devices"): one that can still issue a session
/// (see <see cref="ISessionStore.ListChainsAsync"/>).
/// </summary>
/// <param name="ChainId">The chain's id.</param>
/// <param name="CurrentSessionId">The id of the session issued with the chain's newest refresh token.</param>
/// <param name="CreatedAt">When the chain was created (the sign-in).</param>
/// <param name="LastRefreshedAt">When the chain last issued a session (its creation if never refreshed).</param>
/// <param name="ExpiresAt">
/// When the chain ends unless refreshed: its newest refresh token's expiry. From then on it is no longer listed and no
/// longer counts toward the per-subject cap.
/// </param>
/// <param name="Description">The client description given at <c>Create</c>, or <see langword="null"/>.</param>
public sealed record RefreshChainSummary(
    string ChainId,
    string CurrentSessionId,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastRefreshedAt,
    DateTimeOffset ExpiresAt,
    string? Description);

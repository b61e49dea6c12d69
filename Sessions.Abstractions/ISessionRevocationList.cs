namespace Sessions;

/// <summary>
/// The validator's view of revocations: a synchronous, in-memory lookup, called once per validated token after every
/// other check passed. Implementations keep a local copy of the store's revocations current (by notification or
/// polling) and never do I/O in <see cref="Check"/>.
/// </summary>
/// <remarks>Implementations are thread-safe and allocation-free on the common path.</remarks>
public interface ISessionRevocationList
{
    /// <summary>
    /// Tells whether <paramref name="session"/> is revoked: by its <see cref="Session.Id"/>, or by a revocation of every
    /// session of its <see cref="Session.Subject"/> issued at or before an instant.
    /// </summary>
    /// <param name="session">A session whose token passed every other check.</param>
    /// <returns>
    /// <see cref="RevocationStatus.Revoked"/> when a known revocation covers it (even when the list is stale);
    /// <see cref="RevocationStatus.Unknown"/> when the list is not known to be current;
    /// otherwise <see cref="RevocationStatus.NotRevoked"/>.
    /// </returns>
    RevocationStatus Check(Session session);

    /// <summary>
    /// What a validator does with a session this list answers <see cref="RevocationStatus.Unknown"/> for: the list's
    /// owner (a store) is configured with it, so that one setting governs every validator using the list.
    /// </summary>
    RevocationUnavailableBehavior UnavailableBehavior { get; }
}

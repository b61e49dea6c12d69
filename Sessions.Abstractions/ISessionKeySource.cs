namespace Sessions;

/// <summary>
/// Supplies the key ring and tells when it changes, so keys rotate without a restart. Implement it to keep keys in a
/// vault or a database; the library ships sources for configuration and for a session server's JWKS.
/// </summary>
public interface ISessionKeySource
{
    /// <summary>The current keys. Cheap: called on the hot path's slow branch only, and the result is cached.</summary>
    /// <returns>The current key set.</returns>
    SessionKeySet GetKeys();

    /// <summary>
    /// Asks the source to look for new keys now, for example because a token named an unknown <c>kid</c>.
    /// Sources throttle this themselves; a source with nothing to refresh returns <see langword="false"/> at once.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (not the refresh other callers share).</param>
    /// <returns>Whether the keys changed.</returns>
    ValueTask<bool> RefreshAsync(CancellationToken cancellationToken = default);

    /// <summary>Raised after the keys changed; handlers call <see cref="GetKeys"/>.</summary>
    event EventHandler? KeysChanged;
}

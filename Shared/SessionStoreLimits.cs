namespace Sessions.Internal;

/// <summary>
/// What every session store keeps alike, so that the in-memory store and the Redis store answer the same. Linked into
/// each store's package (Shared/ at the repository root).
/// </summary>
internal static class SessionStoreLimits
{
    /// <summary>
    /// How many of a chain's most recently used refresh tokens keep their sealed successor for a retry within the grace
    /// period: the retries that happen (a response lost, two tabs refreshing at once) present the token used last, or
    /// the one before it. A token used before that is refused as a reuse, even within the grace period; without the
    /// limit, a chain refreshed a thousand times within its grace periods would keep a thousand replies.
    /// </summary>
    public const int SealedSuccessorsKept = 2;
}

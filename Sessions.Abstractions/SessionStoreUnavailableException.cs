namespace Sessions;

/// <summary>
/// Thrown by an <see cref="ISessionStore"/> when its backing store cannot be reached or did not acknowledge a write.
/// Nothing is known to have changed, or the change is not known to be durable: the caller may retry. The gRPC service
/// reports it as <c>UNAVAILABLE</c> with a fixed message (never this exception's, which may name endpoints); the log
/// gets this one.
/// </summary>
public sealed class SessionStoreUnavailableException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public SessionStoreUnavailableException()
        : base("The session store is unavailable.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Says which store and what failed, never a token.</param>
    public SessionStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Says which store and what failed, never a token.</param>
    /// <param name="innerException">The client's exception.</param>
    public SessionStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

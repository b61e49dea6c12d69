namespace Sessions;

/// <summary>
/// Thrown by an <see cref="ISessionStore"/> when a write would take its state past a documented cap (revocations of
/// unknown sessions or subjects, chains of one subject, live sessions of one chain). Nothing was changed. The gRPC
/// service reports it as <c>RESOURCE_EXHAUSTED</c> with this exception's message.
/// </summary>
public sealed class SessionStoreLimitException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public SessionStoreLimitException()
        : base("The session store is full.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Says which cap was reached and what the caller can do; never a token.</param>
    public SessionStoreLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Says which cap was reached and what the caller can do; never a token.</param>
    /// <param name="innerException">The cause.</param>
    public SessionStoreLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

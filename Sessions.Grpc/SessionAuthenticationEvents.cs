namespace Sessions.Grpc;

/// <summary>
/// Hooks into <see cref="SessionAuthenticationHandler"/>, as <c>JwtBearerEvents</c> does for JWT bearer: assign the
/// delegates in <c>AddSessionBearer(o =&gt; o.Events = new() { ... })</c>, or derive from this class and set
/// <c>EventsType</c>.
/// </summary>
public class SessionAuthenticationEvents
{
    /// <summary>
    /// Runs first, before the token is read; set <see cref="SessionMessageReceivedContext.Token"/> to supply it, or call
    /// <c>Fail</c> to refuse the request, which answers as a refused session does (gRPC <c>Unauthenticated</c> with
    /// your message, HTTP 401). Does nothing by default.
    /// </summary>
    public Func<SessionMessageReceivedContext, Task> OnMessageReceived { get; set; } = static _ => Task.CompletedTask;

    /// <summary>Runs after a token was found valid and its principal built. Does nothing by default.</summary>
    public Func<SessionValidatedContext, Task> OnSessionValidated { get; set; } = static _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnMessageReceived"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>The event's task.</returns>
    public virtual Task MessageReceived(SessionMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invokes <see cref="OnSessionValidated"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>The event's task.</returns>
    public virtual Task SessionValidated(SessionValidatedContext context) => OnSessionValidated(context);
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Sessions.Grpc;

/// <summary>
/// The context of <see cref="SessionAuthenticationEvents.OnSessionValidated"/>: the token was valid and
/// <see cref="ResultContext{TOptions}.Principal"/> is built. Add claims to the principal, or call
/// <see cref="ResultContext{TOptions}.Fail(string)"/> to refuse the session after all (for example a user your
/// service has blocked). <see cref="ResultContext{TOptions}.Success"/> signs the request in with the principal, and the
/// session stays available to <c>GetSession()</c> and to <c>RequireSession</c> policies, as without it.
/// </summary>
public sealed class SessionValidatedContext : ResultContext<SessionAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The authentication scheme.</param>
    /// <param name="options">The scheme options.</param>
    /// <param name="session">The validated session.</param>
    /// <param name="principal">The principal built from it.</param>
    public SessionValidatedContext(HttpContext context, AuthenticationScheme scheme, SessionAuthenticationOptions options, Session session, ClaimsPrincipal principal)
        : base(context, scheme, options)
    {
        ArgumentNullException.ThrowIfNull(session);
        Session = session;
        Principal = principal;
    }

    /// <summary>The validated session.</summary>
    public Session Session { get; }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Sessions.Grpc;

/// <summary>
/// The context of <see cref="SessionAuthenticationEvents.OnMessageReceived"/>: set <see cref="Token"/> to take the
/// token from somewhere other than the <c>Authorization</c> header (a cookie, a query string for WebSockets), or call
/// <see cref="ResultContext{TOptions}.Fail(string)"/> to refuse the request: gRPC <c>Unauthenticated</c> with
/// <c>the session was refused: </c> and your message, HTTP 401 with <c>error="invalid_token"</c>.
/// </summary>
public sealed class SessionMessageReceivedContext : ResultContext<SessionAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The authentication scheme.</param>
    /// <param name="options">The scheme options.</param>
    public SessionMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, SessionAuthenticationOptions options)
        : base(context, scheme, options)
    {
    }

    /// <summary>The token to validate; <see langword="null"/> to read the <c>Authorization: Bearer</c> header as usual.</summary>
    public string? Token { get; set; }
}

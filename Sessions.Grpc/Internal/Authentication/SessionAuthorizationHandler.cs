using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Sessions.Grpc.Internal.Authentication;

/// <summary>
/// Checks <see cref="SessionAuthorizationRequirement"/> against the session the authentication handler found, and
/// leaves the first unmet requirement where the forbidden response can name it.
/// </summary>
internal sealed class SessionAuthorizationHandler : AuthorizationHandler<SessionAuthorizationRequirement>
{
    /// <summary>The <see cref="HttpContext.Items"/> key under which the refusal's message is left.</summary>
    public const string ForbiddenMessageKey = "Sessions.ForbiddenMessage";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SessionAuthorizationRequirement requirement)
    {
        var httpContext = context.Resource as HttpContext;
        var session = httpContext?.GetSession();
        if (session is null)
        {
            // No session: the authenticated-user requirement of the same policy answers with a challenge.
            return Task.CompletedTask;
        }

        var unmet = SessionRequirement.FirstUnmet(requirement.Requirements, session);
        if (unmet is null)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        var message = SessionAuthenticationStatus.Unmet(unmet);
        httpContext!.Items[ForbiddenMessageKey] = message;
        context.Fail(new AuthorizationFailureReason(this, message));
        return Task.CompletedTask;
    }
}

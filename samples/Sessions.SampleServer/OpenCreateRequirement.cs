using Microsoft.AspNetCore.Authorization;

namespace Sessions.SampleServer;

/// <summary>
/// The privileged-call policy of a server without <c>SESSIONS_API_KEY</c>: <c>Create</c> is allowed to anyone, every
/// other privileged call is refused with a reason that says how to enable it (sent to the caller).
/// </summary>
internal sealed class OpenCreateRequirement : AuthorizationHandler<OpenCreateRequirement>, IAuthorizationRequirement
{
    private const string CreatePath = "/sessions.Sessions/Create";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OpenCreateRequirement requirement)
    {
        if (context.Resource is HttpContext { Request.Path.Value: CreatePath })
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this,
                "the server has no SESSIONS_API_KEY; set one (make it with 'openssl rand -base64 32') and send it as the x-api-key metadata."));
        }

        return Task.CompletedTask;
    }
}

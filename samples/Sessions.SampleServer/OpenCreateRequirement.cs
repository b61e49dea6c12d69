using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;

namespace Sessions.SampleServer;

/// <summary>
/// The privileged-call policy of a server without <c>SESSIONS_API_KEY</c>: <c>Create</c> is allowed to anyone, every
/// other privileged call is refused with a reason that says how to enable it (sent to the caller).
/// </summary>
internal sealed class OpenCreateRequirement : AuthorizationHandler<OpenCreateRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OpenCreateRequirement requirement)
    {
        // The gRPC method of the endpoint, not the request path: it is the same however the call arrives.
        var method = (context.Resource as HttpContext)?.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        if (method is { ServiceName: "sessions.Sessions", Name: "Create" })
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

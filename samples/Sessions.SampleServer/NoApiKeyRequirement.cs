using Microsoft.AspNetCore.Authorization;

namespace Sessions.SampleServer;

/// <summary>
/// The privileged-call policy of a server without <c>SESSIONS_API_KEY</c>: every privileged call it guards is refused
/// with a reason that says how to enable it (sent to the caller). <c>Create</c> never reaches it: the sample leaves it
/// open with <see cref="Sessions.Grpc.SessionsServiceOptions.AnonymousCreate"/>, as the original service did.
/// </summary>
internal sealed class NoApiKeyRequirement : AuthorizationHandler<NoApiKeyRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, NoApiKeyRequirement requirement)
    {
        context.Fail(new AuthorizationFailureReason(this,
            "the server has no SESSIONS_API_KEY; set one (make it with 'openssl rand -base64 32') and send it in the x-api-key header (gRPC metadata)."));
        return Task.CompletedTask;
    }
}

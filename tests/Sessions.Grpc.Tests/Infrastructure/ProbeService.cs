using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Sessions.Grpc.Tests.Probe;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>Reports the session and principal the server saw, so tests can check what authentication produced.</summary>
public sealed class ProbeService : Probe.Probe.ProbeBase
{
    public override Task<WhoAmIReply> WhoAmI(WhoAmIRequest request, ServerCallContext context) => Task.FromResult(Describe(context));

    [Authorize(Roles = "admin")]
    public override Task<WhoAmIReply> Admin(WhoAmIRequest request, ServerCallContext context) => Task.FromResult(Describe(context));

    [AllowAnonymous]
    public override Task<WhoAmIReply> Ping(WhoAmIRequest request, ServerCallContext context) => Task.FromResult(Describe(context));

    private static WhoAmIReply Describe(ServerCallContext context)
    {
        var session = context.GetSession();
        var user = context.GetHttpContext().User;
        var reply = new WhoAmIReply { Subject = session?.Subject ?? "", SessionId = session?.Id ?? "", Name = user.Identity?.Name ?? "" };
        if (user.Identity is ClaimsIdentity { IsAuthenticated: true } identity)
        {
            reply.Roles.AddRange(identity.FindAll(identity.RoleClaimType).Select(c => c.Value));
            reply.Claims.AddRange(identity.Claims.Select(c => $"{c.Type}={c.Value}"));
        }

        return reply;
    }
}

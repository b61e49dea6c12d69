using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Grpc.Tests.Probe;

namespace Sessions.Grpc.Tests.Authentication;

/// <summary>
/// Claim requirements end-to-end: a downstream service on loopback checks "role contains admin" and "auth level at
/// least 2", through the interceptor and through an ASP.NET Core authorization policy. A failed requirement is
/// PermissionDenied naming the requirement; a missing or bad token stays Unauthenticated.
/// </summary>
public sealed class SessionRequirementPolicyTests
{
    private static readonly SessionRequirement[] s_adminRequirements =
    [
        SessionRequirement.ClaimContains("role", "admin"),
        SessionRequirement.ClaimAtLeast("auth_level", 2),
    ];

    public static TheoryData<bool> Hosts() => new() { true, false };

    private static async Task<(LoopbackServer Server, Probe.Probe.ProbeClient Client)> StartAsync(bool interceptor)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddJwtSessions(o => o.Secret = SessionsHost.Secret);
        var grpc = builder.Services.AddGrpc();
        if (interceptor)
        {
            grpc.AddSessionAuthentication(o => o.Require("/probe.Probe/WhoAmI", s_adminRequirements));
        }
        else
        {
            builder.Services.AddAuthentication(SessionAuthenticationDefaults.AuthenticationScheme).AddSessionBearer();
            builder.Services.AddAuthorization(o => o.AddPolicy("admins", policy => policy.RequireSession(s_adminRequirements)));
        }

        var app = builder.Build();
        if (interceptor)
        {
            app.MapGrpcService<ProbeService>();
        }
        else
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGrpcService<ProbeService>().RequireAuthorization("admins");
        }

        var server = await LoopbackServer.StartAsync(app);
        return (server, new Probe.Probe.ProbeClient(server.Channel));
    }

    private static async Task<string> TokenAsync(LoopbackServer server, SessionClaims claims) =>
        (await server.App.Services.GetRequiredService<ISessionIssuer>().IssueAsync(TestTokens.UserId, claims)).Token;

    private static Task<WhoAmIReply> CallAsync(Probe.Probe.ProbeClient client, string? token) =>
        client.WhoAmIAsync(new WhoAmIRequest(), DownstreamServer.Headers(token)).ResponseAsync;

    [Fact]
    public async Task A_policy_names_the_session_scheme_a_host_registered_under_its_own_name()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddJwtSessions(o => o.Secret = SessionsHost.Secret);
        builder.Services.AddGrpc();
        builder.Services.AddAuthentication().AddSessionBearer("Tenants", configure: null);
        builder.Services.AddAuthorization(o => o.AddPolicy("admins", policy => policy.RequireSession("Tenants", s_adminRequirements)));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<ProbeService>().RequireAuthorization("admins");
        await using var server = await LoopbackServer.StartAsync(app);
        var client = new Probe.Probe.ProbeClient(server.Channel);

        var admin = await CallAsync(client, await TokenAsync(server, new SessionClaims { ["role"] = new[] { "admin" }, ["auth_level"] = 2L }));
        var developer = await TokenAsync(server, new SessionClaims { ["role"] = new[] { "dev" }, ["auth_level"] = 2L });
        var denied = await Assert.ThrowsAsync<RpcException>(() => CallAsync(client, developer));
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => CallAsync(client, token: null));

        Assert.Equal(TestTokens.UserId, admin.Subject);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_session_meeting_every_requirement_is_allowed(bool interceptor)
    {
        var (server, client) = await StartAsync(interceptor);
        await using var _ = server;
        var token = await TokenAsync(server, new SessionClaims { ["role"] = new[] { "dev", "admin" }, ["auth_level"] = 2L });

        var reply = await CallAsync(client, token);

        Assert.Equal(TestTokens.UserId, reply.Subject);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_session_missing_a_role_is_denied_naming_the_requirement(bool interceptor)
    {
        var (server, client) = await StartAsync(interceptor);
        await using var _ = server;
        var token = await TokenAsync(server, new SessionClaims { ["role"] = new[] { "dev" }, ["auth_level"] = 3L });

        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(client, token));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("the session does not meet the requirement: claim 'role' contains 'admin'", error.Status.Detail);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_session_with_too_low_an_auth_level_is_denied_naming_the_requirement(bool interceptor)
    {
        var (server, client) = await StartAsync(interceptor);
        await using var _ = server;
        var token = await TokenAsync(server, new SessionClaims { ["role"] = "admin", ["auth_level"] = 1L });

        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(client, token));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("the session does not meet the requirement: claim 'auth_level' is at least 2", error.Status.Detail);
        Assert.DoesNotContain(token, error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task No_token_or_a_bad_token_is_unauthenticated_not_denied(bool interceptor)
    {
        var (server, client) = await StartAsync(interceptor);
        await using var _ = server;

        var missing = await Assert.ThrowsAsync<RpcException>(() => CallAsync(client, null));
        var forged = await Assert.ThrowsAsync<RpcException>(() => CallAsync(client, "a.b.c"));

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, forged.StatusCode);
    }
}

using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Grpc.Tests.Probe;

namespace Sessions.Grpc.Tests.Authentication;

/// <summary>The handler's events: a token from elsewhere than the header, claims added, a valid session refused.</summary>
public sealed class SessionAuthenticationEventsTests
{
    private const string BlockedUser = "00000000-0000-0000-0000-0000000000bb";

    private static async Task<(LoopbackServer Server, Probe.Probe.ProbeClient Client)> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddJwtSessions(o => o.Secret = SessionsHost.Secret);
        builder.Services.AddGrpc();
        builder.Services.AddAuthentication(SessionAuthenticationDefaults.AuthenticationScheme).AddSessionBearer(o => o.Events = new SessionAuthenticationEvents
        {
            OnMessageReceived = context =>
            {
                context.Token = context.Request.Headers["x-session"].FirstOrDefault();
                return Task.CompletedTask;
            },
            OnSessionValidated = context =>
            {
                if (context.Session.Subject == BlockedUser)
                {
                    context.Fail("the user is blocked");
                    return Task.CompletedTask;
                }

                ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim("role", "from-event"));
                return Task.CompletedTask;
            },
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<ProbeService>().RequireAuthorization();
        var server = await LoopbackServer.StartAsync(app);
        return (server, new Probe.Probe.ProbeClient(server.Channel));
    }

    private static async Task<string> TokenAsync(LoopbackServer server, string subject) =>
        (await server.App.Services.GetRequiredService<ISessionIssuer>().IssueAsync(subject)).Token;

    [Fact]
    public async Task A_token_from_another_header_is_accepted_and_claims_can_be_added()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        var token = await TokenAsync(server, TestTokens.UserId);

        var reply = await client.WhoAmIAsync(new WhoAmIRequest(), new Metadata { { "x-session", token } });

        Assert.Equal(TestTokens.UserId, reply.Subject);
        Assert.Contains("from-event", reply.Roles);
    }

    [Fact]
    public async Task A_valid_session_refused_by_the_event_is_unauthenticated_with_the_hosts_reason()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        var token = await TokenAsync(server, BlockedUser);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.WhoAmIAsync(new WhoAmIRequest(), new Metadata { { "x-session", token } }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("the session was refused: the user is blocked", error.Status.Detail);
    }
}

using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Grpc.Tests.Probe;

namespace Sessions.Grpc.Tests.Authentication;

/// <summary>
/// What the results the events set (<c>Fail</c>, <c>Success</c>) give callers: a gRPC client on the first address, an
/// HTTP/1.1 client on the second.
/// </summary>
public sealed class SessionAuthenticationEventResultsTests
{
    private static async Task<LoopbackServer> StartAsync(SessionAuthenticationEvents events)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Logging.ClearProviders();
        builder.Services.AddJwtSessions(o => o.Secret = SessionsHost.Secret);
        builder.Services.AddGrpc();
        builder.Services.AddAuthentication(SessionAuthenticationDefaults.AuthenticationScheme).AddSessionBearer(o => o.Events = events);
        builder.Services.AddAuthorization(o => o.AddPolicy("readers", p => p.RequireSession(SessionRequirement.ClaimContains("role", "reader"))));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<ProbeService>().RequireAuthorization();
        app.MapGet("/me", (HttpContext http) => http.GetSession()?.Subject ?? "no session").RequireAuthorization();
        app.MapGet("/readers", (HttpContext http) => http.GetSession()?.Subject ?? "no session").RequireAuthorization("readers");
        return await LoopbackServer.StartAsync(app);
    }

    private static async Task<string> TokenAsync(LoopbackServer server, SessionClaims? claims = null) =>
        (await server.App.Services.GetRequiredService<ISessionIssuer>().IssueAsync(TestTokens.UserId, claims)).Token;

    private static async Task<HttpResponseMessage> GetAsync(LoopbackServer server, string path, string token)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses[1]) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task A_request_refused_by_OnMessageReceived_is_unauthenticated_with_the_hosts_reason_not_unavailable()
    {
        // Before, the host's Fail was taken for a validator that could not decide: gRPC Unavailable and HTTP 503 with
        // Retry-After and "a session store or the session keys are unavailable", telling the client to retry a request
        // the host had refused.
        await using var server = await StartAsync(new SessionAuthenticationEvents
        {
            OnMessageReceived = context =>
            {
                context.Fail("the client certificate is not allowed");
                return Task.CompletedTask;
            },
        });
        var token = await TokenAsync(server);

        var error = await Assert.ThrowsAsync<RpcException>(() => new Probe.Probe.ProbeClient(server.Channel)
            .WhoAmIAsync(new WhoAmIRequest(), DownstreamServer.Headers(token)).ResponseAsync);
        using var response = await GetAsync(server, "/me", token);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("the session was refused: the client certificate is not allowed", error.Status.Detail);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"the session was refused\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_session_accepted_with_Success_in_OnSessionValidated_stays_available_to_GetSession_and_session_policies()
    {
        // Before, Success() returned the event's ticket without the session: GetSession() was null, and a RequireSession
        // policy refused a session that met it with 403.
        await using var server = await StartAsync(new SessionAuthenticationEvents
        {
            OnSessionValidated = context =>
            {
                context.Success();
                return Task.CompletedTask;
            },
        });
        var token = await TokenAsync(server, new SessionClaims { ["role"] = new[] { "reader" } });

        var reply = await new Probe.Probe.ProbeClient(server.Channel).WhoAmIAsync(new WhoAmIRequest(), DownstreamServer.Headers(token));
        using var me = await GetAsync(server, "/me", token);
        using var readers = await GetAsync(server, "/readers", token);

        Assert.Equal(TestTokens.UserId, reply.Subject);
        Assert.Equal(TestTokens.UserId, await me.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, readers.StatusCode);
        Assert.Equal(TestTokens.UserId, await readers.Content.ReadAsStringAsync());
    }
}

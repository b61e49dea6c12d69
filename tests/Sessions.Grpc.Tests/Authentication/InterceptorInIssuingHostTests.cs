using Grpc.Net.Client;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Authentication;

/// <summary>
/// One host that issues sessions (<c>AddSessions()</c>, <c>MapSessions()</c>) and authenticates its own gRPC services
/// with them (<c>AddGrpc().AddSessionAuthentication()</c>): the interceptor is global, so it ran on
/// <c>sessions.Sessions</c> too, and no caller could get a first session (Create), refresh an expired one or have a
/// token validated without already sending a session. The service checks its own privileged calls.
/// </summary>
public sealed class InterceptorInIssuingHostTests
{
    private const string ApiKey = "an-api-key-for-tests-that-is-32-bytes-or-more";

    [Fact]
    public async Task The_sessions_service_of_the_host_needs_no_session_while_the_hosts_own_services_do()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret).RequireApiKey(ApiKey);
                builder.Services.AddGrpc().AddSessionAuthentication();
            },
            app =>
            {
                app.MapSessions();
                app.MapGrpcService<ProbeService>();
            });
        var probe = new Probe.Probe.ProbeClient(host.Server.Channel);

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, new Metadata { { SessionsApiKeyDefaults.MetadataKey, ApiKey } });
        Assert.True((await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
        Assert.NotEmpty((await host.Client.GetKeysAsync(new GetKeysRequest())).Version);

        // The service still guards its privileged calls itself, and the host's own service still needs a session.
        var withoutKey = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, withoutKey.StatusCode);
        Assert.Contains("privileged call", withoutKey.Status.Detail, StringComparison.Ordinal);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => probe.WhoAmIAsync(new Probe.WhoAmIRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        var me = await probe.WhoAmIAsync(new Probe.WhoAmIRequest(), DownstreamServer.Headers(created.Token));
        Assert.Equal(TestTokens.UserId, me.Subject);
    }

    [Fact]
    public async Task A_host_that_removes_the_service_from_AllowAnonymous_requires_a_session_for_it()
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
                builder.Services.AddGrpc().AddSessionAuthentication(o => o.AllowAnonymous.Remove("sessions.Sessions"));
            },
            app => app.MapSessions());

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.GetKeysAsync(new GetKeysRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }
}

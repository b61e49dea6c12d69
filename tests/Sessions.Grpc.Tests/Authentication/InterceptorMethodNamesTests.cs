using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Grpc.Tests.Probe;

namespace Sessions.Grpc.Tests.Authentication;

/// <summary>
/// The names of <see cref="SessionAuthenticationInterceptorOptions"/>: a name that can never match a call (a method
/// without its leading slash, a service with one, a stray space) is refused, not silently ignored.
/// </summary>
public sealed class InterceptorMethodNamesTests
{
    private static async Task<LoopbackServer> StartAsync(Action<SessionAuthenticationInterceptorOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddJwtSessions(o => o.Secret = SessionsHost.Secret);
        builder.Services.AddGrpc().AddSessionAuthentication(configure);
        var app = builder.Build();
        app.MapGrpcService<ProbeService>();
        return await LoopbackServer.StartAsync(app);
    }

    [Theory]
    [InlineData("probe.Probe/WhoAmI")]
    [InlineData("/probe.Probe/WhoAmI ")]
    [InlineData("/probe.Probe")]
    [InlineData("/probe.Probe/")]
    [InlineData("//WhoAmI")]
    public async Task A_requirement_under_a_name_no_call_can_have_stops_the_host_at_start_naming_it(string name)
    {
        // Before, the host started and the method was served to any session: the requirement was never looked up.
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(o =>
            o.Requirements[name] = [SessionRequirement.ClaimContains("role", "admin")]));

        Assert.Contains($"SessionAuthenticationInterceptorOptions.Requirements has '{name}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'/package.Service/Method'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anonymous_method_under_a_name_no_call_can_have_stops_the_host_at_start_naming_it()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(o => o.AllowAnonymous.Add("/probe.Probe")));

        Assert.Contains("SessionAuthenticationInterceptorOptions.AllowAnonymous has '/probe.Probe'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_refuses_a_name_no_call_can_have_at_once()
    {
        var options = new SessionAuthenticationInterceptorOptions();

        var ex = Assert.Throws<ArgumentException>(() => options.Require("probe.Probe/WhoAmI", SessionRequirement.ClaimContains("role", "admin")));

        Assert.Equal("methodOrService", ex.ParamName);
        Assert.Empty(options.Requirements);
    }

    [Theory]
    [InlineData("/probe.Probe/WhoAmI")]
    [InlineData("probe.Probe")]
    public async Task Requirements_under_a_method_or_a_service_name_still_apply(string name)
    {
        await using var server = await StartAsync(o => o.Require(name, SessionRequirement.ClaimContains("role", "admin")));
        var token = (await server.App.Services.GetRequiredService<ISessionIssuer>().IssueAsync(TestTokens.UserId)).Token;

        var error = await Assert.ThrowsAsync<RpcException>(() => new Probe.Probe.ProbeClient(server.Channel)
            .WhoAmIAsync(new WhoAmIRequest(), DownstreamServer.Headers(token)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }
}

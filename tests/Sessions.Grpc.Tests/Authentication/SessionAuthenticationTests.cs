using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Sessions.Jwt;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Grpc.Tests.Probe;

namespace Sessions.Grpc.Tests.Authentication;

/// <summary>Status codes and principals of the interceptor and of the ASP.NET Core handler, and client credentials.</summary>
public sealed class SessionAuthenticationTests
{
    [Theory]
    [InlineData(DownstreamAuthentication.Interceptor)]
    [InlineData(DownstreamAuthentication.Handler)]
    public async Task Missing_token_is_unauthenticated(DownstreamAuthentication authentication)
    {
        await using var downstream = await DownstreamServer.StartWithSecretAsync(authentication);

        var ex = await Assert.ThrowsAsync<RpcException>(() => downstream.WhoAmIAsync(null));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Contains("authorization: Bearer", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DownstreamAuthentication.Interceptor)]
    [InlineData(DownstreamAuthentication.Handler)]
    public async Task Invalid_token_is_unauthenticated_with_the_reason_and_never_the_token(DownstreamAuthentication authentication)
    {
        await using var downstream = await DownstreamServer.StartWithSecretAsync(authentication);
        var tampered = JwtBearerInteropTests.Tamper(await downstream.IssueAsync());
        var expired = TestTokens.Sign(TestTokens.Header(), TestTokens.Claims(DateTimeOffset.UtcNow.AddDays(-2)));

        var bad = await Assert.ThrowsAsync<RpcException>(() => downstream.WhoAmIAsync(tampered));
        var old = await Assert.ThrowsAsync<RpcException>(() => downstream.WhoAmIAsync(expired));

        Assert.Equal(StatusCode.Unauthenticated, bad.StatusCode);
        Assert.Equal("token signature is invalid", bad.Status.Detail);
        Assert.Equal("bad_signature", bad.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
        Assert.Equal(StatusCode.Unauthenticated, old.StatusCode);
        Assert.Equal("token is expired", old.Status.Detail);
        Assert.DoesNotContain(tampered, bad.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DownstreamAuthentication.Interceptor)]
    [InlineData(DownstreamAuthentication.Handler)]
    public async Task Anonymous_method_needs_no_session(DownstreamAuthentication authentication)
    {
        await using var downstream = await DownstreamServer.StartWithSecretAsync(authentication);

        var reply = await downstream.Client.PingAsync(new WhoAmIRequest());

        Assert.Equal("", reply.Subject);
    }

    [Theory]
    [InlineData(DownstreamAuthentication.Interceptor)]
    [InlineData(DownstreamAuthentication.Handler)]
    public async Task Anonymous_method_answers_a_call_whose_token_is_refused_as_one_without_a_session(DownstreamAuthentication authentication)
    {
        // A client whose credentials send its (now expired) token with every call must still reach what needs no
        // session: the sessions service to refresh it, health probes. The handler let [AllowAnonymous] methods answer;
        // the interceptor refused them with Unauthenticated.
        await using var downstream = await DownstreamServer.StartWithSecretAsync(authentication);
        var tampered = JwtBearerInteropTests.Tamper(await downstream.IssueAsync());
        var expired = TestTokens.Sign(TestTokens.Header(), TestTokens.Claims(DateTimeOffset.UtcNow.AddDays(-2)));

        foreach (var token in new[] { tampered, expired, "not-a-token" })
        {
            var reply = await downstream.Client.PingAsync(new WhoAmIRequest(), DownstreamServer.Headers(token));
            Assert.Equal("", reply.Subject);

            var protectedCall = await Assert.ThrowsAsync<RpcException>(() => downstream.WhoAmIAsync(token));
            Assert.Equal(StatusCode.Unauthenticated, protectedCall.StatusCode);
        }
    }

    [Fact]
    public async Task Handler_refuses_a_valid_session_without_the_role_with_permission_denied_and_admits_one_with_it()
    {
        await using var downstream = await DownstreamServer.StartWithSecretAsync(DownstreamAuthentication.Handler);
        var user = await downstream.IssueAsync(new SessionClaims { ["role"] = new[] { "reader" } });
        var admin = await downstream.IssueAsync(new SessionClaims { ["role"] = new[] { "reader", "admin" }, ["tenant"] = "acme" });

        var denied = await Assert.ThrowsAsync<RpcException>(async () => await downstream.Client.AdminAsync(new WhoAmIRequest(), DownstreamServer.Headers(user)));
        var reply = await downstream.Client.AdminAsync(new WhoAmIRequest(), DownstreamServer.Headers(admin));

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(TestTokens.UserId, reply.Subject);
        Assert.Equal(TestTokens.UserId, reply.Name);
        Assert.Equal(["reader", "admin"], reply.Roles);
        Assert.Contains("sub=" + TestTokens.UserId, reply.Claims);
        Assert.Contains("jti=" + reply.SessionId, reply.Claims);
        Assert.Contains("tenant=acme", reply.Claims);
    }

    [Fact]
    public async Task Interceptor_gives_service_code_the_same_principal_as_the_handler()
    {
        await using var downstream = await DownstreamServer.StartWithSecretAsync(DownstreamAuthentication.Interceptor);
        var token = await downstream.IssueAsync(new SessionClaims { ["role"] = new[] { "reader", "admin" }, ["tenant"] = "acme" });

        var reply = await downstream.WhoAmIAsync(token);

        Assert.Equal(TestTokens.UserId, reply.Name);
        Assert.Equal(["reader", "admin"], reply.Roles);
        Assert.Contains("sub=" + TestTokens.UserId, reply.Claims);
        Assert.Contains("tenant=acme", reply.Claims);
    }

    [Fact]
    public async Task Handler_on_plain_HTTP_answers_401_with_the_reason_in_www_authenticate_and_403_for_policy()
    {
        await using var app = await StartHttpAppAsync(
            services => services.AddJwtSessions(o => o.Secret = DownstreamServer.Secret),
            web => web.MapGet("/admin", (Microsoft.AspNetCore.Http.HttpContext c) => c.GetSession()!.Subject).RequireAuthorization(p => p.RequireRole("admin")));
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        var issuer = app.Services.GetRequiredService<ISessionIssuer>();
        var admin = (await issuer.IssueAsync(TestTokens.UserId, new SessionClaims { ["role"] = "admin" })).Token;
        var user = (await issuer.IssueAsync(TestTokens.UserId)).Token;

        async Task<HttpResponseMessage> GetAsync(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
            if (token is not null)
            {
                request.Headers.Authorization = new("Bearer", token);
            }

            return await http.SendAsync(request);
        }

        var missing = await GetAsync(null);
        var tampered = await GetAsync(JwtBearerInteropTests.Tamper(admin));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"token signature is invalid\"", tampered.Headers.WwwAuthenticate.Single().ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(user)).StatusCode);
        Assert.Equal(TestTokens.UserId, await (await GetAsync(admin)).Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    [Theory]
    [InlineData(DownstreamAuthentication.Handler, "AddAuthentication().AddSessionBearer()")]
    [InlineData(DownstreamAuthentication.Interceptor, "AddGrpc().AddSessionAuthentication()")]
    public async Task Authentication_without_a_validator_fails_at_start_naming_AddJwtSessionValidation(DownstreamAuthentication authentication, string registration)
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => DownstreamServer.StartAsync(_ => { }, authentication));

        Assert.Contains(registration + " needs an ISessionValidator", ex.Message, StringComparison.Ordinal);
        Assert.Contains("services.AddJwtSessionValidation(keys => keys.JwksUri = ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_interceptor_lets_health_probes_through_without_a_session_and_protects_the_rest()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddJwtSessions(o => o.Secret = DownstreamServer.Secret);
        builder.Services.AddGrpc().AddSessionAuthentication();
        builder.Services.AddGrpcHealthChecks().AddCheck("ok", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
        var app = builder.Build();
        app.MapGrpcService<ProbeService>();
        app.MapGrpcHealthChecksService();
        await using var server = await LoopbackServer.StartAsync(app);

        var health = await new global::Grpc.Health.V1.Health.HealthClient(server.Channel).CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest());
        var refused = await Assert.ThrowsAsync<RpcException>(() => new Probe.Probe.ProbeClient(server.Channel).WhoAmIAsync(new WhoAmIRequest()).ResponseAsync);

        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Theory]
    [InlineData(null, "Bearer")]
    [InlineData("x.y.z", "Bearer error=\"invalid_token\", error_description=\"token is malformed\"")]
    public async Task Handler_answers_an_HTTP_endpoint_with_401_whatever_content_type_the_request_claims(string? token, string challenge)
    {
        // Before, a request that said "content-type: application/grpc" got the gRPC answer, HTTP 200 with grpc-status 16,
        // from an endpoint that is not a gRPC method: a refusal that access logs, metrics and caches saw as a success.
        await using var app = await StartHttpAppAsync(
            services => services.AddJwtSessions(o => o.Secret = DownstreamServer.Secret),
            web => web.MapPost("/orders", () => "orders").RequireAuthorization());
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new ByteArrayContent(new byte[5]) };
        request.Content.Headers.ContentType = new("application/grpc");
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(challenge, response.Headers.WwwAuthenticate.ToString());
        Assert.False(response.Headers.Contains("grpc-status"));
        await app.StopAsync();
    }

    [Fact]
    public async Task Handler_answers_503_with_Retry_After_when_the_session_keys_cannot_be_fetched()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var app = await StartHttpAppAsync(
            services => services.AddJwtSessionValidation(keys => keys.JwksUri = new Uri($"http://127.0.0.1:{port}/.well-known/jwks.json")),
            web => web.MapGet("/me", (Microsoft.AspNetCore.Http.HttpContext c) => c.GetSession()!.Subject).RequireAuthorization());
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        using var issuer = new Sessions.Jwt.JwtSessionIssuer(new Sessions.Jwt.JwtSessionOptions
        {
            Keys = { new Sessions.Jwt.JwtSessionKeyOptions { Id = "es-1", Algorithm = "ES256", Generate = true } },
            SigningKeyId = "es-1",
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new("Bearer", issuer.Issue(TestTokens.UserId).Token);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        // Before, the body was empty: a 401 says why in WWW-Authenticate, gRPC in grpc-message, this said nothing.
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("token cannot be validated now: a session store or the session keys are unavailable; retry later", await response.Content.ReadAsStringAsync());
        Assert.Empty(response.Headers.WwwAuthenticate);
        await app.StopAsync();
    }

    [Fact]
    public async Task Call_credentials_send_the_token_from_a_plain_channel_and_from_the_client_factory()
    {
        await using var downstream = await DownstreamServer.StartWithSecretAsync(DownstreamAuthentication.Interceptor);
        var token = await downstream.IssueAsync();

        var direct = await downstream.Client.WhoAmIAsync(new WhoAmIRequest(), new CallOptions(credentials: SessionCallCredentials.Create(_ => ValueTask.FromResult(token))));

        var services = new ServiceCollection();
        services.AddGrpcClient<Probe.Probe.ProbeClient>(o => o.Address = new Uri(downstream.Server.Addresses[0]))
            .ConfigureChannel(o => o.UnsafeUseInsecureChannelCallCredentials = true) // h2c: no TLS in the test
            .AddSessionCredentials((_, _) => ValueTask.FromResult(token));
        await using var provider = services.BuildServiceProvider();
        var viaFactory = await provider.GetRequiredService<Probe.Probe.ProbeClient>().WhoAmIAsync(new WhoAmIRequest());

        Assert.Equal(TestTokens.UserId, direct.Subject);
        Assert.Equal(TestTokens.UserId, viaFactory.Subject);
        Assert.Equal(direct.SessionId, viaFactory.SessionId);
    }

    [Theory]
    [InlineData(DownstreamAuthentication.Interceptor)]
    [InlineData(DownstreamAuthentication.Handler)]
    public async Task A_validating_host_builds_its_validator_as_it_starts_so_a_reload_to_invalid_settings_before_its_first_call_changes_nothing(DownstreamAuthentication authentication)
    {
        // The host binds the validator's options from a section that reloads, and gets no call before the reload.
        var reloadable = new ReloadableConfiguration().Set("Sessions:Secret", DownstreamServer.Secret);
        var configuration = new ConfigurationBuilder().Add(reloadable).Build();
        await using var downstream = await DownstreamServer.StartAsync(
            services => services.AddJwtSessions().Configure<JwtSessionOptions>(configuration.GetSection(JwtSessionOptions.SectionName)),
            authentication);

        reloadable.Set("Sessions:Lifetime", "00:00:00");
        Assert.NotNull(Record.Exception(reloadable.Reload));   // the options monitor's own, to whoever reloads

        using var issuer = new JwtSessionIssuer(new JwtSessionOptions { Secret = DownstreamServer.Secret });
        var reply = await downstream.WhoAmIAsync(issuer.Issue(TestTokens.UserId).Token);
        Assert.Equal(TestTokens.UserId, reply.Subject);
    }

    // A plain HTTP app on loopback, session bearer as its default scheme, with the endpoints map adds.
    private static async Task<WebApplication> StartHttpAppAsync(Action<IServiceCollection> sessions, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        sessions(builder.Services);
        builder.Services.AddAuthentication(SessionAuthenticationDefaults.AuthenticationScheme).AddSessionBearer();
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        map(app);
        await app.StartAsync();
        return app;
    }
}

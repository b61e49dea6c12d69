using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// Every options and logger service of one of our types that a host resolves to serve its calls has a closed
/// registration of its own, so that a Native AOT host finds it compiled instead of having the runtime build it from the
/// open generic one before the first call (Shared/ClosedGenericServices.cs). Read from the container's own record of
/// what it resolved (its EventSource), in a real host on loopback answering real calls.
/// </summary>
public sealed class ClosedGenericServicesTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    private const string ApiKey = "an-api-key-for-tests-that-is-32-bytes-or-more";

    public static TheoryData<string> Hosts => ["issuer", "issuer with an API key", "issuer with the Redis store and events", "downstream with the interceptor", "downstream with the handler", "downstream with the interceptor and JWKS"];

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Every_options_and_logger_service_of_ours_it_resolves_has_a_closed_registration(string host)
    {
        // The JWKS host validates with the public keys of a session server of its own.
        await using var issuer = host.EndsWith("JWKS", StringComparison.Ordinal)
            ? await IssuerServer.StartAsync(("Keys:0:Id", "ec-1"), ("Keys:0:Algorithm", "ES256"), ("Keys:0:Generate", "true"))
            : null;
        using var resolved = new ResolvedServices();
        IServiceCollection? services = null;
        await using var server = await SessionsHost.StartAsync(
            builder =>
            {
                services = builder.Services;
                Register(host, builder, issuer);
            },
            app =>
            {
                if (host.StartsWith("downstream", StringComparison.Ordinal))
                {
                    if (host.EndsWith("handler", StringComparison.Ordinal))
                    {
                        app.UseAuthentication();
                        app.UseAuthorization();
                        app.MapGrpcService<ProbeService>().RequireAuthorization();
                    }
                    else
                    {
                        app.MapGrpcService<ProbeService>();
                    }
                }
                else
                {
                    app.MapSessions();
                }
            });
        await CallAsync(host, server, issuer);

        // Every host reads options of ours: what the check reads is there.
        Assert.Contains(resolved.By(server.Server.App.Services), type => type.StartsWith("Microsoft.Extensions.Options.IOptionsMonitor`1[Sessions.", StringComparison.Ordinal));
        var missing = resolved.FromOpenGenerics(server.Server.App.Services, services!, IsOurs);
        Assert.True(missing.Count == 0, $"made from an open generic registration: {string.Join(", ", missing)}");
    }

    // A type of the packages, or one over a type of theirs (grpc-dotnet's GrpcServiceOptions<SessionsService>); not of the tests.
    private static bool IsOurs(string argument) =>
        (argument.StartsWith("Sessions.", StringComparison.Ordinal) || argument.Contains("[Sessions.", StringComparison.Ordinal))
        && !argument.Contains(".Tests.", StringComparison.Ordinal);

    private void Register(string host, WebApplicationBuilder builder, IssuerServer? issuer)
    {
        switch (host)
        {
            case "issuer":
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
                break;
            case "issuer with the Redis store and events":
                var prefix = SharedRedis.NewPrefix();
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret).AddRedisStore(o =>
                {
                    o.Configuration = redis.Configuration;
                    o.KeyPrefix = prefix;
                });
                builder.Services.AddRedisSessionEventSink(o =>
                {
                    o.Configuration = redis.Configuration;
                    o.StreamKey = prefix + "events";
                });
                break;
            case "issuer with an API key":
                builder.Services.AddAuthentication().AddSessionsApiKey(o => o.Key = ApiKey);
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret)
                    .RequirePrivilegedPolicy(policy => policy.AddAuthenticationSchemes(SessionsApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser());
                break;
            case "downstream with the interceptor":
                builder.Services.AddJwtSessions(o => o.Secret = SessionsHost.Secret);
                builder.Services.AddGrpc().AddSessionAuthentication(o => o.AllowAnonymous.Add("/probe.Probe/Ping"));
                break;
            case "downstream with the interceptor and JWKS":
                builder.Services.AddSingleton(TimeProvider.System);   // the issuer's clock: its tokens are not from 2030
                builder.Services.AddJwtSessionValidation(keys => keys.JwksUri = issuer!.JwksUri);
                builder.Services.AddGrpc().AddSessionAuthentication(o => o.AllowAnonymous.Add("/probe.Probe/Ping"));
                break;
            default:
                builder.Services.AddJwtSessions(o => o.Secret = SessionsHost.Secret);
                builder.Services.AddGrpc();
                builder.Services.AddAuthentication(SessionAuthenticationDefaults.AuthenticationScheme).AddSessionBearer();
                builder.Services.AddAuthorization();
                break;
        }
    }

    private static async Task CallAsync(string host, TestHost server, IssuerServer? issuer)
    {
        if (host.StartsWith("downstream", StringComparison.Ordinal))
        {
            var token = issuer is not null
                ? await issuer.CreateTokenAsync()
                : (await server.Server.App.Services.GetRequiredService<ISessionIssuer>().IssueAsync(TestTokens.UserId)).Token;
            var reply = await new Probe.Probe.ProbeClient(server.Server.Channel).WhoAmIAsync(new Probe.WhoAmIRequest(), DownstreamServer.Headers(token));
            Assert.Equal(TestTokens.UserId, reply.Subject);
            return;
        }

        var headers = host.EndsWith("API key", StringComparison.Ordinal) ? new Metadata { { SessionsApiKeyDefaults.MetadataKey, ApiKey } } : [];
        var created = await server.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true }, headers);
        var validated = await server.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });
        Assert.True(validated.Valid);
    }
}

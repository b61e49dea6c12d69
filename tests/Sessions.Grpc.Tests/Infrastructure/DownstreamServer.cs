using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Sessions.Jwt;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>How a downstream host authenticates its calls.</summary>
public enum DownstreamAuthentication
{
    /// <summary><c>AddGrpc().AddSessionAuthentication()</c>, with <c>/probe.Probe/Ping</c> allowed anonymously.</summary>
    Interceptor,

    /// <summary><c>AddAuthentication().AddSessionBearer()</c>, authorization required on every method but Ping.</summary>
    Handler,
}

/// <summary>
/// A service that validates sessions without issuing them: <see cref="ProbeService"/> on loopback (h2c), with its
/// validator registered by the test and authentication by the interceptor or the ASP.NET Core handler.
/// </summary>
public sealed class DownstreamServer : IAsyncDisposable
{
    public const string Secret = SessionsHost.Secret;

    private DownstreamServer(LoopbackServer server)
    {
        Server = server;
        Client = new Probe.Probe.ProbeClient(server.Channel);
    }

    public LoopbackServer Server { get; }

    public Probe.Probe.ProbeClient Client { get; }

    public IServiceProvider Services => Server.App.Services;

    /// <summary>Validates with the JWKS of <paramref name="issuer"/>; unknown kids refresh at once (no throttle) in tests.</summary>
    public static Task<DownstreamServer> StartWithJwksAsync(IssuerServer issuer, DownstreamAuthentication authentication) =>
        StartAsync(services => services.AddJwtSessionValidation(
            keys =>
            {
                keys.JwksUri = issuer.JwksUri;
                keys.MinimumRefreshInterval = TimeSpan.Zero;
            }), authentication);

    /// <summary>Validates (and can issue) with the shared HS256 <see cref="Secret"/>.</summary>
    public static Task<DownstreamServer> StartWithSecretAsync(DownstreamAuthentication authentication) =>
        StartAsync(services => services.AddJwtSessions(o => o.Secret = Secret), authentication);

    public static async Task<DownstreamServer> StartAsync(Action<IServiceCollection> validation, DownstreamAuthentication authentication)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        validation(builder.Services);
        var grpc = builder.Services.AddGrpc();
        if (authentication == DownstreamAuthentication.Interceptor)
        {
            grpc.AddSessionAuthentication(o => o.AllowAnonymous.Add("/probe.Probe/Ping"));
        }
        else
        {
            builder.Services.AddAuthentication(SessionAuthenticationDefaults.AuthenticationScheme).AddSessionBearer();
            builder.Services.AddAuthorization();
        }

        var app = builder.Build();
        if (authentication == DownstreamAuthentication.Handler)
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGrpcService<ProbeService>().RequireAuthorization();
        }
        else
        {
            app.MapGrpcService<ProbeService>();
        }

        var server = await LoopbackServer.StartAsync(app, new GrpcChannelOptions { UnsafeUseInsecureChannelCallCredentials = true });
        return new DownstreamServer(server);
    }

    /// <summary>Calls WhoAmI with <c>authorization: Bearer <paramref name="token"/></c> (no header when null).</summary>
    public async Task<Probe.WhoAmIReply> WhoAmIAsync(string? token) =>
        await Client.WhoAmIAsync(new Probe.WhoAmIRequest(), Headers(token));

    public static Metadata Headers(string? token) => token is null ? [] : new Metadata { { "authorization", "Bearer " + token } };

    public async Task<string> IssueAsync(SessionClaims? claims = null) =>
        (await Services.GetRequiredService<ISessionIssuer>().IssueAsync(TestTokens.UserId, claims)).Token;

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

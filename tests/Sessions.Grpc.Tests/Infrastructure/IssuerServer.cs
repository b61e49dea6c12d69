using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Sessions.Jwt;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>
/// A session server as deployed: <c>AddSessions(configuration)</c> and <c>MapSessions()</c> on two loopback
/// listeners, gRPC over h2c and HTTP/1.1 for the well-known key documents, with the real clock (stock JwtBearer has
/// its own) and a configuration that the test can change at run time.
/// </summary>
public sealed class IssuerServer : IAsyncDisposable
{
    private IssuerServer(LoopbackServer server, ReloadableConfiguration configuration)
    {
        Server = server;
        Configuration = configuration;
        HttpAddress = server.Addresses[1];
        Http = new HttpClient { BaseAddress = new Uri(HttpAddress) };
    }

    public LoopbackServer Server { get; }

    public Protocol.Sessions.SessionsClient Client => Server.Client;

    public ReloadableConfiguration Configuration { get; }

    /// <summary>The HTTP/1.1 address, e.g. <c>http://127.0.0.1:41234</c>: the <c>Authority</c> of JwtBearer.</summary>
    public string HttpAddress { get; }

    public Uri JwksUri => new(HttpAddress + SessionsWellKnownPaths.JsonWebKeySet);

    public HttpClient Http { get; }

    /// <summary>Starts a server whose <c>Sessions</c> section holds <paramref name="settings"/> (keys without the prefix).</summary>
    public static async Task<IssuerServer> StartAsync(params (string Key, string Value)[] settings)
    {
        var configuration = new ReloadableConfiguration();
        foreach (var (key, value) in settings)
        {
            configuration.Set($"{JwtSessionOptions.SectionName}:{key}", value);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        ((IConfigurationBuilder)builder.Configuration).Add(configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSessions(builder.Configuration.GetSection(JwtSessionOptions.SectionName));
        var app = builder.Build();
        app.MapSessions();
        return new IssuerServer(await LoopbackServer.StartAsync(app), configuration);
    }

    public async Task<string> CreateTokenAsync(string userId = TestTokens.UserId) =>
        (await Client.CreateAsync(new CreateRequest { UserId = userId })).Token;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

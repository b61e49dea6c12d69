using System.Net;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// <c>AddSessions().AddGrpcWeb()</c>: HTTP/1.1 clients and browsers call the sessions service with gRPC-Web on an
/// HTTP/1.1-only endpoint, a real Kestrel on 127.0.0.1 and a real Grpc.Net.Client with <see cref="GrpcWebHandler"/>.
/// </summary>
public sealed class GrpcWebTests
{
    [Theory]
    [InlineData(GrpcWebMode.GrpcWeb)]
    [InlineData(GrpcWebMode.GrpcWebText)]
    public async Task With_AddGrpcWeb_an_HTTP1_client_creates_and_validates_a_session(GrpcWebMode mode)
    {
        await using var app = await StartAsync(grpcWeb: true);
        var versions = new List<Version>();
        using var channel = GrpcWebChannel(app, mode, versions);
        var client = new Protocol.Sessions.SessionsClient(channel);

        var created = await client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        var validated = await client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });

        Assert.True(validated.Valid);
        Assert.Equal(TestTokens.UserId, validated.Subject);
        Assert.Equal(2, versions.Count);
        Assert.All(versions, version => Assert.Equal(HttpVersion.Version11, version));
    }

    [Fact]
    public async Task Over_gRPC_Web_a_refused_token_is_InvalidArgument_with_the_failure_reason_trailer()
    {
        await using var app = await StartAsync(grpcWeb: true);
        using var channel = GrpcWebChannel(app, GrpcWebMode.GrpcWeb, []);

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Protocol.Sessions.SessionsClient(channel).ValidateAsync(new ValidateTokenRequest { Token = "not-a-token" }));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("malformed", refused.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
    }

    [Fact]
    public async Task Without_AddGrpcWeb_the_service_does_not_answer_gRPC_Web()
    {
        await using var app = await StartAsync(grpcWeb: false);
        using var channel = GrpcWebChannel(app, GrpcWebMode.GrpcWeb, []);

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Protocol.Sessions.SessionsClient(channel).CreateAsync(new CreateRequest { UserId = TestTokens.UserId }));

        Assert.NotEqual(StatusCode.OK, refused.StatusCode);
    }

    [Fact]
    public async Task AddGrpcWeb_keeps_gRPC_over_HTTP2_working_and_leaves_the_hosts_other_services_alone()
    {
        await using var app = await StartAsync(grpcWeb: true, http2Listener: true, map: a => a.MapGrpcService<ProbeService>());
        using var grpc = GrpcChannel.ForAddress(app.Urls.ElementAt(1));
        using var grpcWeb = GrpcWebChannel(app, GrpcWebMode.GrpcWeb, []);

        var created = await new Protocol.Sessions.SessionsClient(grpc).CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        var viaWeb = await new Protocol.Sessions.SessionsClient(grpcWeb).ValidateAsync(new ValidateTokenRequest { Token = created.Token });
        var probe = await Assert.ThrowsAsync<RpcException>(async () => await new Probe.Probe.ProbeClient(grpcWeb).PingAsync(new Probe.WhoAmIRequest()));

        Assert.True(viaWeb.Valid);
        Assert.NotEqual(StatusCode.OK, probe.StatusCode);
    }

    /// <summary>A host with an HTTP/1.1-only listener first and, when asked, an HTTP/2-only one second.</summary>
    private static async Task<WebApplication> StartAsync(bool grpcWeb, bool http2Listener = false, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            if (http2Listener)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });
        var sessions = builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
        if (grpcWeb)
        {
            sessions.AddGrpcWeb();
        }

        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapSessions();
        map?.Invoke(app);
        await app.StartAsync();
        Assert.All(app.Urls, url => Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal));
        return app;
    }

    /// <summary>A gRPC-Web channel over HTTP/1.1 to the host's first (HTTP/1.1) listener.</summary>
    private static GrpcChannel GrpcWebChannel(WebApplication app, GrpcWebMode mode, List<Version> versions) =>
        GrpcChannel.ForAddress(app.Urls.First(), new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(mode, new VersionRecorder(versions)),
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });

    /// <summary>Records the HTTP version of every response, to show which protocol the calls really used.</summary>
    private sealed class VersionRecorder(List<Version> versions) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            lock (versions)
            {
                versions.Add(response.Version);
            }

            return response;
        }
    }
}

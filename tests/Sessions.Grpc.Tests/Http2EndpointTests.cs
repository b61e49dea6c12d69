using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>gRPC needs HTTP/2; a host where no endpoint offers it is told so when it starts, not by its clients.</summary>
public sealed class Http2EndpointTests
{
    [Fact]
    public async Task A_stock_http_endpoint_gets_a_warning_naming_Kestrel_EndpointDefaults_Protocols()
    {
        var logs = await StartAndCollectLogsAsync(builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));

        var warning = Assert.Single(logs, l => l.EventId.Name == "NoHttp2Endpoint");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Kestrel:EndpointDefaults:Protocols", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Kestrel__EndpointDefaults__Protocols=Http2", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_one_setting_of_the_quick_start_makes_the_warning_go_and_gRPC_work()
    {
        var logs = await StartAndCollectLogsAsync(builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration["Kestrel:EndpointDefaults:Protocols"] = "Http2";
        }, async app =>
        {
            using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(app.Urls.Single());
            var created = await new Protocol.Sessions.SessionsClient(channel).CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
            Assert.False(string.IsNullOrEmpty(created.Token));
        });

        Assert.DoesNotContain(logs, l => l.EventId.Name == "NoHttp2Endpoint");
    }

    [Fact]
    public async Task One_HTTP2_listener_beside_an_HTTP1_one_is_enough()
    {
        var logs = await StartAndCollectLogsAsync(builder => builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        }));

        Assert.DoesNotContain(logs, l => l.EventId.Name == "NoHttp2Endpoint");
    }

    [Fact]
    public async Task With_AddGrpcWeb_an_HTTP1_only_host_is_told_at_Information_that_only_gRPC_Web_reaches_it()
    {
        var logs = await StartAndCollectLogsAsync(builder => builder.WebHost.UseUrls("http://127.0.0.1:0"), grpcWeb: true);

        Assert.DoesNotContain(logs, l => l.EventId.Name == "NoHttp2Endpoint");
        var line = Assert.Single(logs, l => l.EventId.Name == "GrpcWebOnlyEndpoints");
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("gRPC-Web", line.Message, StringComparison.Ordinal);
        Assert.Contains("Kestrel:Endpoints:<name>:Protocols", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_AddGrpcWeb_the_line_does_not_advise_the_default_that_would_shut_out_HTTP1_clients()
    {
        // Kestrel:EndpointDefaults:Protocols=Http2 makes every endpoint HTTP/2-only, the one gRPC-Web clients over
        // HTTP/1.1 (browsers) call included: the advice is a second endpoint, not a different default.
        var logs = await StartAndCollectLogsAsync(builder => builder.WebHost.UseUrls("http://127.0.0.1:0"), grpcWeb: true);

        var line = Assert.Single(logs, l => l.EventId.Name == "GrpcWebOnlyEndpoints");
        Assert.DoesNotContain("EndpointDefaults", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_AddGrpcWeb_the_two_endpoints_the_line_advises_serve_gRPC_Web_and_gRPC()
    {
        var logs = await StartAndCollectLogsAsync(builder =>
        {
            builder.Configuration["Kestrel:Endpoints:Http1:Url"] = "http://127.0.0.1:0";
            builder.Configuration["Kestrel:Endpoints:Http1:Protocols"] = "Http1";
            builder.Configuration["Kestrel:Endpoints:Http2:Url"] = "http://127.0.0.1:0";
            builder.Configuration["Kestrel:Endpoints:Http2:Protocols"] = "Http2";
        }, async app =>
        {
            var urls = app.Urls.ToArray();   // in the order of the endpoints' names: Http1, then Http2
            Assert.Equal(2, urls.Length);
            using var grpc = global::Grpc.Net.Client.GrpcChannel.ForAddress(urls[1]);
            Assert.False(string.IsNullOrEmpty((await new Protocol.Sessions.SessionsClient(grpc).CreateAsync(new CreateRequest { UserId = TestTokens.UserId })).Token));
            using var web = global::Grpc.Net.Client.GrpcChannel.ForAddress(urls[0], new global::Grpc.Net.Client.GrpcChannelOptions
            {
                HttpHandler = new global::Grpc.Net.Client.Web.GrpcWebHandler(global::Grpc.Net.Client.Web.GrpcWebMode.GrpcWeb, new HttpClientHandler()),
                HttpVersion = new Version(1, 1),
                HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            });
            Assert.False(string.IsNullOrEmpty((await new Protocol.Sessions.SessionsClient(web).CreateAsync(new CreateRequest { UserId = TestTokens.UserId })).Token));
        }, grpcWeb: true);

        Assert.DoesNotContain(logs, l => l.EventId.Name is "GrpcWebOnlyEndpoints" or "NoHttp2Endpoint");
    }

    private static async Task<IReadOnlyList<LogLine>> StartAndCollectLogsAsync(Action<WebApplicationBuilder> listen, Func<WebApplication, Task>? whileRunning = null, bool grpcWeb = false)
    {
        var logs = new LogCollector();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        listen(builder);
        var sessions = builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
        if (grpcWeb)
        {
            sessions.AddGrpcWeb();
        }

        await using var app = builder.Build();
        app.MapSessions();

        await app.StartAsync();   // the check runs once the server listens, before StartAsync returns
        if (whileRunning is not null)
        {
            await whileRunning(app);
        }

        await app.StopAsync();
        return logs.Lines;
    }
}

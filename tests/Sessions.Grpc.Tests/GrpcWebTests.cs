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

    [Theory]
    [InlineData("application/grpc-web", new byte[] { 2, 0, 0, 0, 2, 0x0A, 0x00 }, StatusCode.InvalidArgument, "the request's gRPC frame has compressed flag 2: it must be 0 (not compressed) or 1 (compressed as its grpc-encoding header says).")]
    [InlineData("application/grpc-web-text", new byte[] { 2, 0, 0, 0, 2, 0x0A, 0x00 }, StatusCode.InvalidArgument, "the request's gRPC frame has compressed flag 2: it must be 0 (not compressed) or 1 (compressed as its grpc-encoding header says).")]
    [InlineData("application/grpc-web", new byte[] { 0x80, 0, 0, 0, 2, 0x0A, 0x00 }, StatusCode.InvalidArgument, "the request's gRPC frame has compressed flag 128: it must be 0 (not compressed) or 1 (compressed as its grpc-encoding header says).")]
    [InlineData("application/grpc-web", new byte[] { 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0A }, StatusCode.ResourceExhausted, "the request's gRPC frame declares a message of 4294967295 bytes, more than a gRPC message can hold (2147483647).")]
    [InlineData("application/grpc-web-text", new byte[] { 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0A }, StatusCode.ResourceExhausted, "the request's gRPC frame declares a message of 4294967295 bytes, more than a gRPC message can hold (2147483647).")]
    [InlineData("application/grpc-web", new byte[] { 0, 0, 0, 0, 9, 0x0A, 0x00 }, StatusCode.InvalidArgument, "the request ended 2 bytes into a gRPC message whose frame header declares 9 bytes: send the whole message.")]
    [InlineData("application/grpc-web-text", new byte[] { 0, 0, 0, 0, 9, 0x0A, 0x00 }, StatusCode.InvalidArgument, "the request ended 2 bytes into a gRPC message whose frame header declares 9 bytes: send the whole message.")]
    [InlineData("application/grpc-web-text", new byte[] { 0, 0, 0, 0, 2, 0x0A, 0x00, 0, 0, 0, 0, 2, 0x0A, 0x00 }, StatusCode.InvalidArgument, "the request goes on after its gRPC message, but sessions.Sessions/Validate is unary, whose request is exactly one message: send one message and end the request.")]
    [InlineData("application/grpc-web", new byte[0], StatusCode.InvalidArgument, "the request ended with no gRPC message, but sessions.Sessions/Validate is unary, whose request is exactly one message: send one message and end the request.")]
    [InlineData("application/grpc-web-text", new byte[] { 1, 0, 0, 0, 2, 0x0A, 0x00 }, StatusCode.InvalidArgument, "the request's gRPC frame has compressed flag 1 but the request has no grpc-encoding header to name its compression: send grpc-encoding naming the compression used, or compressed flag 0 (not compressed).")]
    public async Task Over_gRPC_Web_a_frame_header_grpc_dotnet_cannot_report_gets_a_status_and_no_error(string contentType, byte[] frame, StatusCode expected, string expectedMessage)
    {
        var logs = new LogCollector();
        await using var app = await StartAsync(grpcWeb: true, logs: logs);
        using var http = new HttpClient();
        var text = contentType.EndsWith("-text", StringComparison.Ordinal);
        using var content = new ByteArrayContent(text ? System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(frame)) : frame);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, app.Urls.First() + "/sessions.Sessions/Validate") { Content = content };
        request.Headers.Add("x-grpc-web", "1");
        var before = logs.Lines.Count;

        using var response = await http.SendAsync(request);
        var (status, message) = await GrpcWebStatusAsync(response, text);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, status);
        Assert.Equal(expectedMessage, message);
        var lines = logs.Lines.Skip(before).ToList();
        Assert.Single(lines, line => line.EventId.Name == "UnreadableRequest" && line.Message.Contains(expectedMessage, StringComparison.Ordinal));
        var warnings = lines.Where(line => line.Level >= LogLevel.Warning).ToList();
        Assert.True(warnings.Count == 0, string.Join(Environment.NewLine, warnings.Select(line => $"{line.Category} {line.Level} {line.Message} {line.Exception?.GetType().Name}")));
        using var channel = GrpcWebChannel(app, GrpcWebMode.GrpcWeb, []);
        var client = new Protocol.Sessions.SessionsClient(channel);
        var created = await client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        Assert.True((await client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
    }

    [Theory]
    [InlineData("!!!notbase64")]
    [InlineData("AAAA AAA=")]
    [InlineData("AAA")]
    public async Task A_gRPC_Web_text_body_that_is_not_base64_gets_invalid_argument_and_no_error(string body)
    {
        var logs = new LogCollector();
        await using var app = await StartAsync(grpcWeb: true, logs: logs);
        using var http = new HttpClient();
        using var content = new StringContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc-web-text");
        using var request = new HttpRequestMessage(HttpMethod.Post, app.Urls.First() + "/sessions.Sessions/Validate") { Content = content };
        request.Headers.Add("x-grpc-web", "1");
        var before = logs.Lines.Count;

        using var response = await http.SendAsync(request);
        var (status, message) = await GrpcWebStatusAsync(response, text: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Equal(NotBase64Message, message);
        var lines = logs.Lines.Skip(before).ToList();
        Assert.Single(lines, line => line.EventId.Name == "UnreadableRequest" && line.Message.Contains(NotBase64Message, StringComparison.Ordinal));
        var warnings = lines.Where(line => line.Level >= LogLevel.Warning).ToList();
        Assert.True(warnings.Count == 0, string.Join(Environment.NewLine, warnings.Select(line => $"{line.Category} {line.Level} {line.Message} {line.Exception?.GetType().Name}")));
        using var channel = GrpcWebChannel(app, GrpcWebMode.GrpcWebText, []);
        var client = new Protocol.Sessions.SessionsClient(channel);
        var created = await client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        Assert.True((await client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
    }

    private const string NotBase64Message =
        "the request's gRPC-Web text body is not base64: send application/grpc-web-text as the base64 of whole gRPC frames (padded with '='), or send application/grpc-web in binary.";

    /// <summary>The status of a gRPC-Web response: in its headers when it has no message, else in its trailer frame (flag 0x80).</summary>
    private static async Task<(StatusCode Status, string? Message)> GrpcWebStatusAsync(HttpResponseMessage response, bool text)
    {
        if (response.Headers.TryGetValues("grpc-status", out var headerStatus))
        {
            var headerMessage = response.Headers.TryGetValues("grpc-message", out var m) ? Uri.UnescapeDataString(m.Single()) : null;
            return ((StatusCode)int.Parse(headerStatus.Single(), System.Globalization.CultureInfo.InvariantCulture), headerMessage);
        }

        var body = await response.Content.ReadAsByteArrayAsync();
        if (text)
        {
            body = Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(body));
        }

        for (var offset = 0; offset + 5 <= body.Length;)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(offset + 1));
            if ((body[offset] & 0x80) != 0)
            {
                var trailers = System.Text.Encoding.ASCII.GetString(body, offset + 5, length)
                    .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
                    .Select(line => line.Split(':', 2))
                    .ToDictionary(pair => pair[0].Trim().ToLowerInvariant(), pair => pair[1].Trim(), StringComparer.Ordinal);
                return ((StatusCode)int.Parse(trailers["grpc-status"], System.Globalization.CultureInfo.InvariantCulture),
                    trailers.TryGetValue("grpc-message", out var trailerMessage) ? Uri.UnescapeDataString(trailerMessage) : null);
            }

            offset += 5 + length;
        }

        throw new Xunit.Sdk.XunitException($"the gRPC-Web response has no status: {body.Length} bytes, headers {response.Headers}");
    }

    /// <summary>A host with an HTTP/1.1-only listener first and, when asked, an HTTP/2-only one second.</summary>
    private static async Task<WebApplication> StartAsync(bool grpcWeb, bool http2Listener = false, Action<WebApplication>? map = null, LogCollector? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

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

using System.Net;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// Clients of a gRPC method's path that cannot read a JSON error: a gRPC-Web client (this server does not serve
/// gRPC-Web) and a gRPC request on the HTTP/1.1 port. Each gets UNIMPLEMENTED with a message saying what to call,
/// rather than UNKNOWN ("Bad gRPC response. HTTP status code: 415") and INTERNAL ("Request protocol 'HTTP/1.1' is not
/// supported").
/// </summary>
public sealed partial class SampleJsonTranscodingTests
{
    [Theory]
    [InlineData(GrpcWebMode.GrpcWeb, 0)]
    [InlineData(GrpcWebMode.GrpcWebText, 0)]
    [InlineData(GrpcWebMode.GrpcWeb, 1)]
    public async Task A_gRPC_Web_client_is_told_that_this_server_serves_gRPC_over_HTTP2_and_JSON(GrpcWebMode mode, int listener)
    {
        await using var started = await StartAsync("--JWT_SECRET=transcoding-test-secret-0123456789-abcdef");
        using var channel = GrpcChannel.ForAddress(started.Server.Addresses[listener], new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(mode, new HttpClientHandler()),
            HttpVersion = listener == 0 ? HttpVersion.Version20 : HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
        var client = new Sessions.Grpc.Protocol.Sessions.SessionsClient(channel);

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.ValidateAsync(new ValidateTokenRequest { Token = "a.b.c" }));

        Assert.Equal(StatusCode.Unimplemented, refused.StatusCode);
        Assert.Equal(
            "This server does not serve gRPC-Web: call Validate with a gRPC client over HTTP/2 (the port set by PORT, 3123 by default), or as JSON: POST /v1/sessions:validate.",
            refused.Status.Detail);
        await AssertCreateIsServedAsync(started);
    }

    [Fact]
    public async Task A_gRPC_request_on_the_HTTP11_port_is_told_to_call_the_gRPC_port_with_HTTP2()
    {
        await using var started = await StartAsync("--JWT_SECRET=transcoding-test-secret-0123456789-abcdef");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sessions.Sessions/Validate")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new("application/grpc");

        using var response = await started.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal(((int)StatusCode.Unimplemented).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("grpc-status").Single());
        Assert.Equal(
            "gRPC needs HTTP/2, and this port serves HTTP/1.1 (the JSON routes under /v1 and the key documents): call the gRPC port (PORT, 3123 by default) with HTTP/2.",
            response.Headers.GetValues("grpc-message").Single());
        await AssertCreateIsServedAsync(started);
    }
}

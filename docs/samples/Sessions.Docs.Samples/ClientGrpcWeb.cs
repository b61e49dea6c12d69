using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Sessions.Grpc.Protocol;

namespace DocsSamples;

/// <summary>docs/embedding.md: a .NET client calling the service with gRPC-Web over HTTP/1.1.</summary>
public static class ClientGrpcWeb
{
    public static async Task<TokenReply> CreateAsync()
    {
        // <client-grpc-web>
        // The host's address: what it prints at start ("Now listening on: ..."), or dotnet run --urls http://127.0.0.1:5000
        using var channel = GrpcChannel.ForAddress("http://127.0.0.1:5000", new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
            HttpVersion = new Version(1, 1),
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
        var client = new Sessions.Grpc.Protocol.Sessions.SessionsClient(channel);
        TokenReply created = await client.CreateAsync(new CreateRequest { UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301" });
        // </client-grpc-web>
        return created;
    }
}

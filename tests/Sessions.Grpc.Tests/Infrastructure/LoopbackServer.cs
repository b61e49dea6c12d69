using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>A started <see cref="WebApplication"/> on loopback and a gRPC channel to it.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(WebApplication app, GrpcChannel channel)
    {
        App = app;
        Channel = channel;
        Client = new Protocol.Sessions.SessionsClient(channel);
    }

    public WebApplication App { get; }

    public GrpcChannel Channel { get; }

    public Protocol.Sessions.SessionsClient Client { get; }

    /// <summary>Starts <paramref name="app"/> (which must listen on a loopback port) and opens a channel to it.</summary>
    public static async Task<LoopbackServer> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        return new LoopbackServer(app, GrpcChannel.ForAddress(address));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

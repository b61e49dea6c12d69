using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>A started <see cref="WebApplication"/> on loopback and a gRPC channel to it.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(WebApplication app, GrpcChannel channel, IReadOnlyList<string> addresses)
    {
        App = app;
        Addresses = addresses;
        Channel = channel;
        Client = new Protocol.Sessions.SessionsClient(channel);
    }

    public WebApplication App { get; }

    public GrpcChannel Channel { get; }

    /// <summary>Every address the server listens on, in the order they were configured; the first is the gRPC one.</summary>
    public IReadOnlyList<string> Addresses { get; }

    public Protocol.Sessions.SessionsClient Client { get; }

    /// <summary>
    /// Starts <paramref name="app"/> (which must listen on loopback ports only) and opens a channel to its first address.
    /// </summary>
    public static async Task<LoopbackServer> StartAsync(WebApplication app, GrpcChannelOptions? channelOptions = null)
    {
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToArray();
        Assert.NotEmpty(addresses);
        Assert.All(addresses, address => Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal));
        return new LoopbackServer(app, GrpcChannel.ForAddress(addresses[0], channelOptions ?? new GrpcChannelOptions()), addresses);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

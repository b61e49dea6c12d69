using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sessions.Jwt;

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>One instance of the sessions service on the Redis store: Kestrel on 127.0.0.1, and a gRPC client to it.</summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private ServiceHost(WebApplication app, GrpcChannel channel)
    {
        _app = app;
        _channel = channel;
        Client = new Sessions.Grpc.Protocol.Sessions.SessionsClient(channel);
    }

    public Sessions.Grpc.Protocol.Sessions.SessionsClient Client { get; }

    public RedisSessionStore Store => _app.Services.GetRequiredService<RedisSessionStore>();

    public static async Task<ServiceHost> StartAsync(
        string redis, string prefix, TimeProvider time, Action<JwtSessionOptions>? sessions = null, Action<SessionStoreOptions>? store = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(time);
        builder.Services
            .AddSessions(o =>
            {
                o.Secret = Instance.Secret;
                sessions?.Invoke(o);
            })
            .ConfigureStore(o => store?.Invoke(o))
            .AddRedisStore(o =>
            {
                o.Configuration = redis;
                o.KeyPrefix = prefix;
            });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapSessions();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        return new ServiceHost(app, GrpcChannel.ForAddress(address));
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

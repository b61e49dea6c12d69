using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Sessions.Jwt;

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>One session-server instance: Kestrel on 127.0.0.1, the sessions service on the Redis store, a client.</summary>
public sealed class SessionServer : IAsyncDisposable
{
    public const string Secret = "redis-test-secret-that-is-at-least-32-bytes!";

    public const string UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private SessionServer(WebApplication app, GrpcChannel channel)
    {
        _app = app;
        _channel = channel;
        Client = new global::Sessions.Grpc.Protocol.Sessions.SessionsClient(channel);
    }

    public global::Sessions.Grpc.Protocol.Sessions.SessionsClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<SessionServer> StartAsync(string redis, string prefix, Action<RedisSessionStoreOptions>? redisOptions = null, Action<SessionStoreOptions>? storeOptions = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddSessions(o => o.Secret = Secret)
            .ConfigureStore(o => storeOptions?.Invoke(o))
            .AddRedisStore(o =>
            {
                o.Configuration = redis;
                o.KeyPrefix = prefix;
                redisOptions?.Invoke(o);
            });
        var app = builder.Build();
        app.MapSessions();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        return new SessionServer(app, GrpcChannel.ForAddress(address));
    }

    public Task<TokenReply> CreateAsync(bool withRefreshToken = false) =>
        Client.CreateAsync(new CreateRequest { UserId = UserId, WithRefreshToken = withRefreshToken }).ResponseAsync;

    public Task<TokenReply> RefreshAsync(string refreshToken) =>
        Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = refreshToken }).ResponseAsync;

    /// <summary>The status Validate ends with: OK, or the error's code and trailer reason.</summary>
    public async Task<(StatusCode Code, string? Reason)> ValidateAsync(string token)
    {
        try
        {
            await Client.ValidateAsync(new ValidateTokenRequest { Token = token });
            return (StatusCode.OK, null);
        }
        catch (RpcException ex)
        {
            return (ex.StatusCode, ex.Trailers.GetValue(global::Sessions.Grpc.SessionsMetadataKeys.FailureReason));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

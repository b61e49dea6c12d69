namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>
/// Cuts a store's revocations' connection (<see cref="RedisSessionStore.RevocationConnection"/>) to a primary and keeps it
/// from reconnecting (the primary at <c>maxclients</c>), while the store's other connection stays up; disposing lets it
/// reconnect.
/// </summary>
public sealed class RevocationsConnectionCut : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _admin;
    private readonly IServer _primary;

    private RevocationsConnectionCut(ConnectionMultiplexer admin, IServer primary)
    {
        _admin = admin;
        _primary = primary;
    }

    public static async Task<RevocationsConnectionCut> StartAsync(RedisSessionStore store, RedisProcess primary)
    {
        var revocationsClient = (long)await store.RevocationConnection!.GetServer("127.0.0.1", primary.Port).ExecuteAsync("CLIENT", "ID");
        var admin = await ConnectionMultiplexer.ConnectAsync(primary.Configuration + ",allowAdmin=true");
        var server = admin.GetServer("127.0.0.1", primary.Port);
        await server.ExecuteAsync("CONFIG", "SET", "maxclients", "1");
        await server.ExecuteAsync("CLIENT", "KILL", "ID", revocationsClient);
        return new RevocationsConnectionCut(admin, server);
    }

    public async ValueTask DisposeAsync()
    {
        await _primary.ExecuteAsync("CONFIG", "SET", "maxclients", "10000");
        await _admin.DisposeAsync();
    }
}

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>
/// One primary and its replica (no cluster), started on free loopback ports for one test, which may freeze the replica.
/// </summary>
public sealed class RedisPrimaryWithReplica : IAsyncDisposable
{
    private RedisPrimaryWithReplica(RedisProcess primary, RedisProcess replica)
    {
        Primary = primary;
        Replica = replica;
    }

    public RedisProcess Primary { get; }

    public RedisProcess Replica { get; }

    /// <summary>The store's configuration: the primary only, as an application names it.</summary>
    public string Configuration => Primary.Configuration;

    /// <summary>Starts both and returns once the primary lists the replica as connected.</summary>
    public static async Task<RedisPrimaryWithReplica> StartAsync()
    {
        var primary = await RedisProcess.StartAsync();
        RedisProcess? replica = null;
        try
        {
            replica = await RedisProcess.StartAsync();
            await using (var connection = await ConnectionMultiplexer.ConnectAsync(replica.Configuration + ",allowAdmin=true"))
            {
                await connection.GetServer(connection.GetEndPoints().Single()).ExecuteAsync("REPLICAOF", "127.0.0.1", primary.Port);
            }

            await using (var connection = await ConnectionMultiplexer.ConnectAsync(primary.Configuration + ",allowAdmin=true"))
            {
                var server = connection.GetServer(connection.GetEndPoints().Single());
                await Poll.UntilAsync(
                    async () => await server.RoleAsync() is Role.Master { Replicas.Count: 1 } master && master.Replicas.Single().Port == replica.Port,
                    TimeSpan.FromSeconds(30),
                    "the primary lists its replica");
            }

            return new RedisPrimaryWithReplica(primary, replica);
        }
        catch
        {
            await primary.DisposeAsync();
            if (replica is not null)
            {
                await replica.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Replica.DisposeAsync();
        await Primary.DisposeAsync();
    }
}

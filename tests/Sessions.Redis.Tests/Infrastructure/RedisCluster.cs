using System.Diagnostics;

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>
/// A Redis Cluster of three primaries with a replica each, started on free loopback ports for one test (the failover
/// test kills its nodes) or for the test run when .ci/run's cluster is not there.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private RedisCluster(IReadOnlyList<RedisProcess> nodes) => Nodes = nodes;

    public IReadOnlyList<RedisProcess> Nodes { get; }

    public string Configuration => string.Join(",", Nodes.Select(n => n.Configuration));

    public static async Task<RedisCluster> StartAsync()
    {
        var nodes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RedisProcess.StartAsync(cluster: true)));
        var cluster = new RedisCluster(nodes);
        try
        {
            await CreateAsync(cluster);
            await WaitUntilHealthyAsync(cluster.Configuration, TimeSpan.FromSeconds(30));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static async Task CreateAsync(RedisCluster cluster)
    {
        var nodes = cluster.Nodes;
        var create = new ProcessStartInfo(RedisProcess.FindExecutable("redis-cli")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--cluster", "create" }.Concat(nodes.Select(n => n.Configuration)).Concat(["--cluster-replicas", "1", "--cluster-yes"]))
        {
            create.ArgumentList.Add(argument);
        }

        using (var process = Process.Start(create)!)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"redis-cli --cluster create failed: {await output}{await error}");
        }
    }

    /// <summary>Waits until every node reports <c>cluster_state:ok</c> and sees three primaries, each with a replica.</summary>
    public static async Task WaitUntilHealthyAsync(string configuration, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration + ",abortConnect=false,allowAdmin=true");
        while (true)
        {
            try
            {
                var servers = connection.GetServers();
                var infos = await Task.WhenAll(servers.Select(s => s.ExecuteAsync("CLUSTER", "INFO")));
                if (infos.All(i => i.ToString().Contains("cluster_state:ok", StringComparison.Ordinal)) &&
                    servers.Count(s => s.IsConnected && !s.IsReplica) == 3 && servers.Count(s => s.IsConnected && s.IsReplica) == 3)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
            }

            Assert.True(watch.Elapsed < deadline, $"The Redis Cluster at {configuration} did not become healthy within {deadline.TotalSeconds} s.");
            await Task.Delay(200);
            await connection.ConfigureAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}

using System.Diagnostics;
using StackExchange.Redis;

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
        var starting = Enumerable.Range(0, 6).Select(_ => RedisProcess.StartAsync(cluster: true)).ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            // Stop the nodes that did start, or they outlive the test run.
            foreach (var node in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await node.Result.DisposeAsync();
            }

            throw;
        }

        var nodes = starting.Select(t => t.Result).ToArray();
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

    /// <summary>
    /// Waits until every node reports <c>cluster_state:ok</c>, and there are three primaries, each with a replica that
    /// has synchronized (its link to the primary is up: only such a replica can take over).
    /// </summary>
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
                var replication = await Task.WhenAll(servers.Where(s => s.IsReplica).Select(s => s.InfoRawAsync("replication")));
                if (infos.All(i => i.ToString().Contains("cluster_state:ok", StringComparison.Ordinal)) &&
                    servers.Count(s => s.IsConnected && !s.IsReplica) == 3 && replication.Length == 3 &&
                    replication.All(r => r!.Contains("master_link_status:up", StringComparison.Ordinal)))
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

    /// <summary>Waits until the cluster is served again by three primaries (after one was killed and a replica took over).</summary>
    public static async Task WaitUntilHealthyPrimariesAsync(string configuration, int killedPort, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        var seeds = string.Join(",", configuration.Split(',').Where(e => !e.EndsWith(":" + killedPort, StringComparison.Ordinal)));
        await using var connection = await ConnectionMultiplexer.ConnectAsync(seeds + ",abortConnect=false,allowAdmin=true");
        var last = string.Empty;
        while (true)
        {
            try
            {
                var servers = connection.GetServers().Where(s => s.IsConnected).ToList();
                var infos = await Task.WhenAll(servers.Select(s => s.ExecuteAsync("CLUSTER", "INFO")));
                last = string.Join("; ", servers.Select((s, i) => $"{s.EndPoint} replica={s.IsReplica} {infos[i].ToString().Split('\n')[0].Trim()}"));
                if (infos.All(i => i.ToString().Contains("cluster_state:ok", StringComparison.Ordinal)) && servers.Count(s => !s.IsReplica) == 3)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                last = ex.GetType().Name;
            }

            Assert.True(watch.Elapsed < deadline, $"The Redis Cluster at {configuration} did not recover within {deadline.TotalSeconds} s: {last}.");
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

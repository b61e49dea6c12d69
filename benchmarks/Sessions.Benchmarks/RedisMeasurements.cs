using System.Diagnostics;
using System.Globalization;
using Sessions.Jwt;
using Sessions.Lifecycle;
using Sessions.Redis;
using StackExchange.Redis;

namespace Sessions.Benchmarks;

/// <summary>
/// Measurements of the Redis store that BenchmarkDotNet cannot make (concurrency, two instances, memory of a replayed
/// log), printed as markdown: revocation propagation between two instances (acknowledgement to refusal), lifecycle
/// throughput (Create with refresh token, Refresh, Revoke) against the in-memory store measured in the same run, and
/// memory per 100,000 revocations in an instance and in Redis. Every loop is bounded by count and time.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/Sessions.Benchmarks -- --redis [single] [cluster]</c>: single is
/// 127.0.0.1:6379 (or SESSIONS_BENCH_REDIS), cluster 127.0.0.1:7000-7002 (or SESSIONS_BENCH_REDIS_CLUSTER), as .ci/run
/// starts them.
/// </remarks>
internal static class RedisMeasurements
{
    private const string Secret = "benchmark-secret-that-is-at-least-32-bytes!";
    private const int PropagationSamples = 300;
    private const int Workers = 16;
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string[] targets)
    {
        var single = Environment.GetEnvironmentVariable("SESSIONS_BENCH_REDIS") ?? "127.0.0.1:6379";
        var cluster = Environment.GetEnvironmentVariable("SESSIONS_BENCH_REDIS_CLUSTER") ?? "127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002";
        var stores = new List<(string Name, string? Configuration)> { ("in-memory (baseline)", null) };
        if (targets.Length == 0 || targets.Contains("single"))
        {
            stores.Add(("Redis, one primary", single));
        }

        if (targets.Length == 0 || targets.Contains("cluster"))
        {
            stores.Add(("Redis Cluster, 3 primaries + 3 replicas", cluster));
        }

        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; {Workers} concurrent callers, {LoadDuration.TotalSeconds:0} s per row.");
        Console.WriteLine();
        Console.WriteLine("| Store | Create with refresh token (ops/s) | Refresh (ops/s) | Revoke session (ops/s) |");
        Console.WriteLine("|---|---:|---:|---:|");
        double[]? baseline = null;
        foreach (var (name, configuration) in stores)
        {
            var rates = await ThroughputAsync(configuration);
            baseline ??= rates;
            Console.WriteLine($"| {name} | {Row(rates[0], baseline[0])} | {Row(rates[1], baseline[1])} | {Row(rates[2], baseline[2])} |");
        }

        Console.WriteLine();
        Console.WriteLine($"Propagation from an acknowledged Revoke on instance A to its refusal on instance B ({PropagationSamples} revocations, poll interval 100 ms):");
        Console.WriteLine();
        Console.WriteLine("| Store | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, configuration) in stores.Where(s => s.Configuration is not null))
        {
            var latencies = await PropagationAsync(configuration!);
            Console.WriteLine($"| {name} | {Percentile(latencies, 0.50):0.0} | {Percentile(latencies, 0.90):0.0} | {Percentile(latencies, 0.99):0.0} | {latencies[^1]:0.0} |");
        }

        Console.WriteLine();
        Console.WriteLine("Memory per 100,000 revocations of sessions (unknown ids, the most a caller can add): managed heap of an instance that replayed them from the log, and Redis used_memory:");
        Console.WriteLine();
        Console.WriteLine("| Store | Instance (MB) | Instance (bytes each) | Redis (MB) | Redis (bytes each) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, configuration) in stores.Where(s => s.Configuration is not null))
        {
            var (instance, redis) = await MemoryAsync(configuration!);
            Console.WriteLine($"| {name} | {instance / 1e6:0.0} | {instance / 100_000:0} | {redis / 1e6:0.0} | {redis / 100_000:0} |");
        }

        return 0;
    }

    private static string Row(double rate, double baseline) => $"{rate:N0} ({rate / baseline:0.00}×)";

    private static async Task<double[]> ThroughputAsync(string? configuration)
    {
        var store = await CreateStoreAsync(configuration);
        try
        {
            var jwt = new JwtSessionOptions { Secret = Secret };
            var validator = new JwtSessionValidator(jwt, null, (ISessionRevocationList)store);
            var lifecycle = new SessionLifecycle(new JwtSessionIssuer(jwt), validator, store, new SessionStoreOptions { MaxChainsPerSubject = 100_000 });
            // Sign-ins of many users (a user has a few devices, not thousands): each worker cycles over its own 500.
            var users = Enumerable.Range(0, Workers).Select(_ => Enumerable.Range(0, 500).Select(_ => Guid.NewGuid().ToString("D")).ToArray()).ToArray();
            var created = Enumerable.Range(0, Workers).Select(_ => new Queue<RefreshTokenIssued>()).ToArray();
            var create = await LoadAsync(async worker =>
            {
                var queue = created[worker];
                queue.Enqueue(await lifecycle.IssueWithRefreshTokenAsync(users[worker][queue.Count % 500]));
            });

            // Each worker refreshes its own chains, always presenting the newest token (as clients do).
            var chains = created;
            var refresh = await LoadAsync(async worker =>
            {
                var queue = chains[worker];
                var next = (await lifecycle.RefreshAsync(queue.Dequeue().RefreshToken)).Issued ?? throw new InvalidOperationException("A refresh failed.");
                queue.Enqueue(next);
            });
            var revoke = await LoadAsync(worker => lifecycle.RevokeSessionAsync(chains[worker].Dequeue().Session.SessionId.ToString("D")), stopWhen: worker => chains[worker].Count == 0);
            return [create, refresh, revoke];
        }
        finally
        {
            await DisposeAsync(store);
        }
    }

    private static async Task<double> LoadAsync(Func<int, Task> operation, Func<int, bool>? stopWhen = null)
    {
        var watch = Stopwatch.StartNew();
        var counts = new long[Workers];
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            while (watch.Elapsed < LoadDuration && counts[worker] < 2_000_000 && stopWhen?.Invoke(worker) != true)
            {
                await operation(worker);
                counts[worker]++;

                // The in-memory store completes synchronously: yield, or a few workers keep the pool's threads to themselves.
                await Task.Yield();
            }
        })));
        return counts.Sum() / watch.Elapsed.TotalSeconds;
    }

    private static async Task<List<double>> PropagationAsync(string configuration)
    {
        var prefix = $"bench-{Guid.NewGuid():N}:";
        await using var a = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = configuration, KeyPrefix = prefix });
        await using var b = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = configuration, KeyPrefix = prefix });
        await a.StartAsync();
        await b.StartAsync();
        var latencies = new List<double>(PropagationSamples);
        var random = new Random(1);
        for (var i = 0; i < PropagationSamples; i++)
        {
            var now = DateTimeOffset.UtcNow;
            var session = new Session("user-" + i.ToString(CultureInfo.InvariantCulture), Guid.NewGuid().ToString("D"), now, null, now.AddHours(1));
            await a.RevokeSessionAsync(session.Id, now.AddHours(1), now);
            var acknowledged = Stopwatch.GetTimestamp();
            var deadline = TimeSpan.FromSeconds(5);
            while (b.Check(session) != RevocationStatus.Revoked)
            {
                if (Stopwatch.GetElapsedTime(acknowledged) > deadline)
                {
                    throw new InvalidOperationException("A revocation did not reach the other instance within 5 s.");
                }

                await Task.Delay(1);
            }

            latencies.Add(Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds);

            // Revocations spread over the poll cycle rather than all landing right after a poll.
            await Task.Delay(random.Next(0, 100));
        }

        latencies.Sort();
        return latencies;
    }

    private static async Task<(double Instance, double Redis)> MemoryAsync(string configuration)
    {
        var prefix = $"bench-{Guid.NewGuid():N}:";
        var redisBefore = await UsedMemoryAsync(configuration);
        await using (var writer = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = configuration, KeyPrefix = prefix, ReplicaAcknowledgements = 0 }))
        {
            await writer.StartAsync();
            var now = DateTimeOffset.UtcNow;
            for (var batch = 0; batch < 100; batch++)
            {
                await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => writer.RevokeSessionAsync(Guid.NewGuid().ToString("D"), now.AddHours(1), now)));
            }
        }

        var redis = await UsedMemoryAsync(configuration) - redisBefore;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var reader = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = configuration, KeyPrefix = prefix });
        await reader.StartAsync();
        if (reader.RevocationCount != 100_000)
        {
            throw new InvalidOperationException($"The replay found {reader.RevocationCount} revocations, not 100,000.");
        }

        await reader.DisposeAsync();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var instance = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(reader);
        return (instance, redis);
    }

    private static async Task<double> UsedMemoryAsync(string configuration)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration + ",allowAdmin=true");
        var total = 0.0;
        foreach (var server in connection.GetServers().Where(s => !s.IsReplica))
        {
            var info = await server.InfoRawAsync("memory");
            var line = info!.Split('\n').First(l => l.StartsWith("used_memory:", StringComparison.Ordinal));
            total += double.Parse(line["used_memory:".Length..].Trim(), CultureInfo.InvariantCulture);
        }

        return total;
    }

    private static async Task<ISessionStore> CreateStoreAsync(string? configuration)
    {
        if (configuration is null)
        {
            return new InMemorySessionStore(new SessionStoreOptions { MaxChainsPerSubject = 100_000 });
        }

        var store = new RedisSessionStore(
            new RedisSessionStoreOptions { Configuration = configuration, KeyPrefix = $"bench-{Guid.NewGuid():N}:" },
            new SessionStoreOptions { MaxChainsPerSubject = 100_000 });
        await store.StartAsync();
        return store;
    }

    private static async ValueTask DisposeAsync(ISessionStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

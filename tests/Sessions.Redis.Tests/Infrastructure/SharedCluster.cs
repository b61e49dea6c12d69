namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>
/// The Redis Cluster the cluster tests share: the one .ci/run starts on 127.0.0.1:7000–7005 (or
/// <c>SESSIONS_TEST_REDIS_CLUSTER</c>, a configuration string of seed nodes), or else one started for this test run.
/// Each test isolates itself with its own key prefix.
/// </summary>
public sealed class SharedCluster : IAsyncLifetime
{
    private RedisCluster? _own;

    public string Configuration { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("SESSIONS_TEST_REDIS_CLUSTER") ?? "127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002";
        if (await RedisProcess.PingAsync(int.Parse(configured.Split(',')[0].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)))
        {
            Configuration = configured;
            await RedisCluster.WaitUntilHealthyAsync(Configuration, TimeSpan.FromSeconds(30));
            return;
        }

        _own = await RedisCluster.StartAsync();
        Configuration = _own.Configuration;
    }

    public async Task DisposeAsync()
    {
        if (_own is not null)
        {
            await _own.DisposeAsync();
        }
    }
}

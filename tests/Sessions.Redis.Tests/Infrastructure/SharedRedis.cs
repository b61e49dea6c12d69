namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>
/// The Redis most tests share: the one on 127.0.0.1:6379 that .ci/run starts (or <c>SESSIONS_TEST_REDIS_PORT</c>), or
/// else a dedicated redis-server started for this test run. Each test isolates itself with its own key prefix.
/// </summary>
public sealed class SharedRedis : IAsyncLifetime
{
    private RedisProcess? _own;

    public string Configuration { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var port = int.TryParse(Environment.GetEnvironmentVariable("SESSIONS_TEST_REDIS_PORT"), out var configured) ? configured : 6379;
        if (await RedisProcess.PingAsync(port))
        {
            Configuration = $"127.0.0.1:{port}";
            return;
        }

        _own = await RedisProcess.StartAsync();
        Configuration = _own.Configuration;
    }

    public async Task DisposeAsync()
    {
        if (_own is not null)
        {
            await _own.DisposeAsync();
        }
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix() => $"sessions-test-{Guid.NewGuid():N}:";
}

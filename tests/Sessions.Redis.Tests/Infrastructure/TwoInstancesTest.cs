using Microsoft.Extensions.Time.Testing;

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>
/// Tests with two session-server instances, each with its own connection and revocation set, sharing the real Redis
/// under a key prefix of their own and one fake clock.
/// </summary>
public abstract class TwoInstancesTest(SharedRedis redis) : IAsyncLifetime
{
    /// <summary>The user whose sessions the tests make.</summary>
    protected const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    /// <summary>The key prefix both instances share, and no other test.</summary>
    protected string Prefix { get; } = SharedRedis.NewPrefix();

    /// <summary>The clock of both instances.</summary>
    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The first instance.</summary>
    protected Instance A { get; private set; } = null!;

    /// <summary>The second instance.</summary>
    protected Instance B { get; private set; } = null!;

    /// <summary>The shared Redis.</summary>
    protected SharedRedis Redis => redis;

    public async Task InitializeAsync()
    {
        A = await Instance.StartAsync(redis.Configuration, Prefix, Time);
        B = await Instance.StartAsync(redis.Configuration, Prefix, Time);
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}

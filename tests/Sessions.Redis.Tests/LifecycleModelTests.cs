using Sessions.Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sessions.Redis.Tests;

/// <summary>
/// The lifecycle's guarantees (G1-G3) checked against the reference model over the wire, with two instances of the
/// service sharing one Redis. Replay a failure with SESSIONS_MODEL_SEED=&lt;seed&gt;.
/// </summary>
[Collection(SharedRedisGroup.Name)]
public sealed class LifecycleModelTests(SharedRedis redis, ITestOutputHelper output)
{
    [Fact]
    public Task Two_instances_on_Redis_keep_every_lifecycle_guarantee_under_concurrency() =>
        TwoInstanceModelRun.RunAsync(redis.Configuration, seed: 1, output);
}

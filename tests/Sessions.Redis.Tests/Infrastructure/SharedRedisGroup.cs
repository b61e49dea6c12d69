namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>The tests that share one Redis.</summary>
[CollectionDefinition(Name)]
public sealed class SharedRedisGroup : ICollectionFixture<SharedRedis>
{
    public const string Name = "Shared Redis";
}

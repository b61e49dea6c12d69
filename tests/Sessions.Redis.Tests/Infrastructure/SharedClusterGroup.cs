namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>The tests that share one Redis Cluster.</summary>
[CollectionDefinition(Name)]
public sealed class SharedClusterGroup : ICollectionFixture<SharedCluster>
{
    public const string Name = "Shared Redis Cluster";
}

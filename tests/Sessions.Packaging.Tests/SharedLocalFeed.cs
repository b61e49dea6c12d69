namespace Sessions.Packaging.Tests;

/// <summary>
/// The test classes that use the packed feed share one <see cref="LocalFeed"/>: packing every library takes minutes on
/// a small machine, so it is done once per run, not once per class.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedLocalFeed : ICollectionFixture<LocalFeed>
{
    public const string Name = "local feed";
}

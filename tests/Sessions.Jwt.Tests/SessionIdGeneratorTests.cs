namespace Sessions.Jwt.Tests;

public class SessionIdGeneratorTests
{
    [Fact]
    public async Task Ids_are_unique_random_version_4_uuids_across_threads()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForAsync(0, 8, async (_, _) =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                ids.Add(Internal.SessionIdGenerator.NewId());
            }

            await Task.Yield();
        });

        Assert.Equal(40_000, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.Equal(4, id.Version);
            Assert.Equal(0b10, id.ToByteArray(bigEndian: true)[8] >> 6);
            Assert.Equal('4', id.ToString()[14]);
        });
    }
}

using System.Buffers.Binary;
using Sessions.Jwt.Internal.Writing;

namespace Sessions.Jwt.Tests;

public class SessionIdGeneratorTests
{
    [Fact]
    public async Task Ids_are_unique_version_7_uuids_carrying_the_issue_millisecond_across_threads()
    {
        // 2026-12-06T20:00:00.123Z: the same millisecond for every id, so only the random bits tell them apart.
        const long IssuedAt = 1_796_587_200_123;
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForAsync(0, 8, async (_, _) =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                ids.Add(Internal.Writing.SessionIdGenerator.NewId(IssuedAt));
            }

            await Task.Yield();
        });

        Assert.Equal(40_000, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            var bytes = id.ToByteArray(bigEndian: true);
            Assert.Equal(7, id.Version);
            Assert.Equal(0b10, bytes[8] >> 6);
            Assert.Equal('7', id.ToString()[14]);
            Assert.Equal(IssuedAt, (long)(BinaryPrimitives.ReadUInt64BigEndian(bytes) >> 16));
        });
    }
}

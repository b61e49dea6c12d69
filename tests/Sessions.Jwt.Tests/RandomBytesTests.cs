using Sessions.Internal;

namespace Sessions.Jwt.Tests;

/// <summary>The batched random bytes behind session ids (and, in Sessions.Lifecycle, refresh tokens and nonces).</summary>
public class RandomBytesTests
{
    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(RandomBytes.MaxBatched)]
    [InlineData(RandomBytes.MaxBatched + 1)]
    public void Draws_across_many_batches_never_repeat_and_use_every_byte_value(int size)
    {
        // Sizes that do not divide the batch leave a remainder at its end: the draw after it starts a new batch
        // rather than reading past it or repeating bytes already given.
        var count = 3 * RandomBytes.BatchBytes / size + 7;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var histogram = new int[256];
        var buffer = new byte[size];
        for (var i = 0; i < count; i++)
        {
            RandomBytes.Fill(buffer);
            Assert.True(seen.Add(Convert.ToHexString(buffer)), $"draw {i} of {size} bytes repeats an earlier one");
            foreach (var b in buffer)
            {
                histogram[b]++;
            }
        }

        // About 12,000 bytes or more: every value turns up (a run of zeroes from a cleared slice would not).
        Assert.All(histogram, n => Assert.True(n > 0));
        Assert.InRange(histogram[0], 0, 4 * (count * size / 256) + 16);
    }

    [Fact]
    public async Task Threads_draw_bytes_of_their_own()
    {
        var draws = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForAsync(0, 8, async (_, _) =>
        {
            var buffer = new byte[16];
            for (var i = 0; i < 2_000; i++)
            {
                RandomBytes.Fill(buffer);
                draws.Add(Convert.ToHexString(buffer));
            }

            await Task.Yield();
        });

        Assert.Equal(16_000, draws.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void An_empty_request_takes_nothing()
    {
        RandomBytes.Fill([]);
        var buffer = new byte[16];
        RandomBytes.Fill(buffer);
        Assert.Contains(buffer, b => b != 0);
    }
}

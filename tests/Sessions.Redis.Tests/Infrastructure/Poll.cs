using System.Diagnostics;

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>Waits for a condition by polling every 20 ms, failing with <paramref name="what"/> after the deadline.</summary>
public static class Poll
{
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < deadline, $"Timed out after {deadline.TotalSeconds} s waiting until {what}.");
            await Task.Delay(20);
        }

        return watch.Elapsed;
    }
}

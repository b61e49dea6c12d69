using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Sessions.Grpc.Protocol;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>
/// A caller refused again and again by one of the store's caps gets ResourceExhausted every time, but the log gets the
/// first refusal's warning and then at most one line every 10 seconds with how many were not logged.
/// </summary>
[Collection(SharedRedisGroup.Name)]
public sealed class LimitWarningTests(SharedRedis redis)
{
    private const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [Fact]
    public async Task A_refresh_token_holder_refused_again_and_again_at_a_cap_writes_one_warning_per_10_seconds_not_one_per_call()
    {
        // Refresh needs no key: whoever holds a refresh token of a chain at MaxRefreshTokensPerChain could write a
        // warning per call, at the rate they call.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturingLoggerProvider();
        await using var host = await ServiceHost.StartAsync(
            redis.Configuration,
            SharedRedis.NewPrefix(),
            time,
            store: o =>
            {
                o.MaxRefreshTokensPerChain = 3;
                o.RefreshReuseGracePeriod = TimeSpan.Zero;
            },
            services: s => s.AddLogging(l => l.AddProvider(logs)));
        var reply = await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
        for (var i = 0; i < 2; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            reply = await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = reply.RefreshToken });
        }

        for (var i = 0; i < 30; i++)
        {
            var refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = reply.RefreshToken }));
            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
            Assert.Contains("Sessions:Store:MaxRefreshTokensPerChain", refused.Status.Detail, StringComparison.Ordinal);
        }

        var warnings = LimitLines(logs);
        var first = Assert.Single(warnings);
        Assert.Equal("LimitReached", first.EventId.Name);
        Assert.Contains("Sessions:Store:MaxRefreshTokensPerChain", first.Message, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = reply.RefreshToken }));

        warnings = LimitLines(logs);
        Assert.Equal(2, warnings.Count);
        Assert.Equal("LimitStillReached", warnings[1].EventId.Name);
        Assert.Contains("Sessions:Store:MaxRefreshTokensPerChain", warnings[1].Message, StringComparison.Ordinal);
        Assert.Contains("29 more writes were refused by the store's limits in the 10 s since the last such line", warnings[1].Message, StringComparison.Ordinal);
    }

    private static List<CapturedLine> LimitLines(CapturingLoggerProvider logs) =>
        [.. logs.Lines.Where(line => line.Category == typeof(RedisSessionStore).FullName && line.Level >= LogLevel.Warning && line.EventId.Name is "LimitReached" or "LimitStillReached")];
}

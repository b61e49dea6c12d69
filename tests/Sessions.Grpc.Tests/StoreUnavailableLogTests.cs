using Microsoft.Extensions.DependencyInjection;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// The service's warning when the session store cannot be reached: it carries the store's own words, which already say
/// that the store is unavailable, so the line says it once (it read "the session store is unavailable: The session
/// store is unavailable; ...").
/// </summary>
public sealed class StoreUnavailableLogTests
{
    [Theory]
    [InlineData("The session store is unavailable.")]
    [InlineData("The session store is unavailable: the call may not have taken effect, or not durably; retry it.")]
    public async Task The_outage_lines_say_unavailable_once_in_the_stores_words(string cause)
    {
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
                builder.Services.AddSingleton<ISessionLifecycle>(new UnreachableStoreLifecycle(cause));
            },
            app => app.MapSessions());
        var request = new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true };

        // The first refused call is logged, the next within the interval counted, and the first one after it logged
        // with that count.
        for (var i = 0; i < 2; i++)
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);

            // A call that timed out may have been applied, and a revocation its replicas did not acknowledge in time is
            // in force: the client is told to retry, never that nothing changed.
            Assert.Equal("the session store is unavailable: the call may not have taken effect, or not durably; retry it", refused.Status.Detail);
        }

        host.Time.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync(request).ResponseAsync);

        var first = Assert.Single(host.Logs.Lines, l => l.EventId.Name == "StoreUnavailable");
        var still = Assert.Single(host.Logs.Lines, l => l.EventId.Name == "StoreStillUnavailable");
        Assert.Equal($"Sessions.Create refused: {cause}", first.Message);
        Assert.Equal($"Sessions.Create refused: {cause} (1 more calls refused for it in the 10 s since the last such line were not logged each)", still.Message);
        Assert.All([first, still], line => Assert.Single(line.Message.Split("unavailable", StringSplitOptions.None).Skip(1)));
    }
}

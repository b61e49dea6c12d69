using Microsoft.Extensions.Time.Testing;
using Sessions.Tests.LifecycleModel;
using Xunit.Abstractions;

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>
/// Runs the lifecycle's reference model over the wire against two instances of the service sharing one Redis: calls go
/// to either instance; after every round both have read the revocation log.
/// </summary>
public static class TwoInstanceModelRun
{
    public static async Task RunAsync(string configuration, int seed, ITestOutputHelper output)
    {
        var model = new LifecycleModelOptions { Seed = LifecycleModelOptions.SeedOr(seed), Operations = 10_000 };
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var prefix = SharedRedis.NewPrefix();
        await using var a = await StartAsync(configuration, prefix, time, model);
        await using var b = await StartAsync(configuration, prefix, time, model);

        var run = new LifecycleModel([a.Client, b.Client], time, model, async () =>
        {
            await a.Store.SynchronizeAsync();
            await b.Store.SynchronizeAsync();
        });
        await run.RunAsync();

        run.CheckExercised(output.WriteLine);
    }

    private static Task<ServiceHost> StartAsync(string configuration, string prefix, FakeTimeProvider time, LifecycleModelOptions model) =>
        ServiceHost.StartAsync(
            configuration,
            prefix,
            time,
            o =>
            {
                o.Lifetime = TimeSpan.FromSeconds(model.LifetimeSeconds);
                o.ClockSkew = TimeSpan.Zero;
            },
            o =>
            {
                o.RefreshReuseGracePeriod = TimeSpan.FromSeconds(model.GraceSeconds);
                o.RefreshTokenLifetime = TimeSpan.FromSeconds(model.RefreshTokenLifetimeSeconds);
                o.AbsoluteLifetime = TimeSpan.FromSeconds(model.AbsoluteLifetimeSeconds);
            });
}

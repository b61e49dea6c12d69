using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Tests.LifecycleModel;
using Xunit.Abstractions;

namespace Sessions.Grpc.Tests;

/// <summary>
/// The lifecycle's guarantees (G1-G3) checked against a reference model, over the wire, with the in-memory store:
/// concurrent Create, Refresh (replays inside and beyond the grace period), Revoke, RevokeAll and Validate on a clock
/// that jumps past grace periods, lifetimes and purges. Replay a failure with SESSIONS_MODEL_SEED=&lt;seed&gt;.
/// </summary>
public sealed class LifecycleModelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task The_in_memory_store_keeps_every_lifecycle_guarantee_under_concurrency(int seed)
    {
        var model = new LifecycleModelOptions { Seed = LifecycleModelOptions.SeedOr(seed), Operations = 5_000 };
        await using var host = await SessionsHost.StartAsync(
            builder => builder.Services
                .AddSessions(o =>
                {
                    o.Secret = SessionsHost.Secret;
                    o.Lifetime = TimeSpan.FromSeconds(model.LifetimeSeconds);
                    o.ClockSkew = TimeSpan.Zero;
                })
                .ConfigureStore(o =>
                {
                    o.RefreshReuseGracePeriod = TimeSpan.FromSeconds(model.GraceSeconds);
                    o.RefreshTokenLifetime = TimeSpan.FromSeconds(model.RefreshTokenLifetimeSeconds);
                    o.AbsoluteLifetime = TimeSpan.FromSeconds(model.AbsoluteLifetimeSeconds);
                    o.PurgeInterval = TimeSpan.FromSeconds(1);
                }),
            app => app.MapSessions());

        var run = new LifecycleModel([host.Client], host.Time, model);
        await run.RunAsync();

        run.CheckExercised(output.WriteLine);
    }
}

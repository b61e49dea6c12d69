namespace Sessions.Tests.LifecycleModel;

/// <summary>The size and seed of a <see cref="LifecycleModel"/> run, and the lifetimes the servers were given.</summary>
public sealed class LifecycleModelOptions
{
    /// <summary>The seed: a failure names it, and the same seed replays the same calls.</summary>
    public int Seed { get; init; }

    /// <summary>How many calls in all.</summary>
    public int Operations { get; init; } = 10_000;

    /// <summary>How many calls run concurrently in one round.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>How many users the calls are for (few, so that calls conflict).</summary>
    public int Users { get; init; } = 4;

    /// <summary>The servers' session lifetime, in seconds (their clock skew must be 0).</summary>
    public int LifetimeSeconds { get; init; } = 30;

    /// <summary>The servers' refresh reuse grace period, in seconds.</summary>
    public int GraceSeconds { get; init; } = 3;

    /// <summary>The servers' refresh-token lifetime, in seconds.</summary>
    public int RefreshTokenLifetimeSeconds { get; init; } = 300;

    /// <summary>The servers' absolute chain lifetime, in seconds.</summary>
    public int AbsoluteLifetimeSeconds { get; init; } = 1200;

    /// <summary>The seed given in <c>SESSIONS_MODEL_SEED</c> to replay a failure, or <paramref name="fallback"/>.</summary>
    public static int SeedOr(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("SESSIONS_MODEL_SEED"), out var seed) ? seed : fallback;
}

namespace Sessions.Redis;

/// <summary>
/// Options of <see cref="RedisSessionStore"/>. Validated when the host starts.
/// </summary>
public sealed class RedisSessionStoreOptions
{
    /// <summary>
    /// The StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or
    /// <c>redis:6379,password=...,ssl=true</c>. Defaults to <c>127.0.0.1:6379</c>. One primary (not a cluster): the
    /// rotation scripts touch keys they compute. Make Redis durable (<c>appendonly yes</c>) so that revocations
    /// survive its restarts.
    /// </summary>
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>
    /// The prefix of every key and of the pub/sub channel, so several deployments can share one Redis. Defaults to
    /// <c>sessions:</c>. Instances that share revocations must use the same prefix.
    /// </summary>
    public string KeyPrefix { get; set; } = "sessions:";

    /// <summary>
    /// How long after losing Redis the local revocation set is still trusted as current; after that, sessions not
    /// known to be revoked are <see cref="RevocationStatus.Unknown"/> and the validator follows
    /// <c>SessionStoreOptions.UnavailableBehavior</c>. Known revocations are always honoured. Defaults to 30 seconds:
    /// long enough to ride out a failover or a network blip, short enough to bound how long a revocation made elsewhere
    /// during an outage can be missed. 0 to 10 minutes.
    /// </summary>
    public TimeSpan StalenessTolerance { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the store checks that its local set is current and, if not, reloads it from Redis; also how often
    /// expired local entries are dropped. Defaults to 1 second; 100 ms to 1 minute.
    /// </summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(1);
}

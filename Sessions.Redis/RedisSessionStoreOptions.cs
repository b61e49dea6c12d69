namespace Sessions.Redis;

/// <summary>
/// Options of <see cref="RedisSessionStore"/>: where Redis is, and how revocations travel and are made durable. The
/// lifecycle's own options (lifetimes, grace period, caps, <c>UnavailableBehavior</c>) are <c>SessionStoreOptions</c>.
/// Validated when the host starts.
/// </summary>
public sealed class RedisSessionStoreOptions
{
    /// <summary>The configuration section these options are bound from by hosts: <c>Sessions:Redis</c>.</summary>
    public const string SectionName = "Sessions:Redis";

    /// <summary>
    /// The StackExchange.Redis configuration string: one primary (<c>127.0.0.1:6379</c>,
    /// <c>redis:6379,password=...,ssl=true</c>) or the seed nodes of a Redis Cluster (<c>node1:6379,node2:6379</c>);
    /// the store finds the rest of a cluster by itself. Defaults to <c>127.0.0.1:6379</c>. A cluster has database 0
    /// only: the store's start refuses a <c>defaultDatabase</c> other than 0 on one. Make Redis durable
    /// (<c>appendonly yes</c>) and give each primary a replica, so that revocations survive restarts and failovers.
    /// </summary>
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>
    /// Called with the options parsed from <see cref="Configuration"/>, once, before the store opens its connections
    /// (its own, the revocations', and a one-off probe at start): to set what a configuration string cannot hold, such
    /// as the certificate of a private certificate authority (<c>o.TrustIssuer(path)</c>), a
    /// <c>CertificateValidation</c> callback, or a client certificate for Redis that requires one
    /// (<c>o.SetUserPfxCertificate(path, password)</c>, or a <c>CertificateSelection</c> callback). Defaults to <see langword="null"/>: the string
    /// alone. <c>AbortOnConnectFail</c> and <c>BacklogPolicy</c> are the store's own (a Redis that cannot be reached
    /// does not stop the host; a command fails at once while it is down) and are set after it. Code only: not bound
    /// from configuration.
    /// </summary>
    public Action<StackExchange.Redis.ConfigurationOptions>? ConfigureConnection { get; set; }

    /// <summary>
    /// The prefix of every key, so that several deployments can share one Redis. Defaults to <c>sessions:</c>.
    /// Instances that share sessions must use the same prefix. It may not contain <c>{</c>, <c>}</c>, <c>*</c> or
    /// <c>?</c> (it is part of the keys' Redis Cluster hash tags).
    /// </summary>
    public string KeyPrefix { get; set; } = "sessions:";

    /// <summary>
    /// How often each instance reads the revocation log for revocations made by other instances. Defaults to 100 ms,
    /// so that a revocation is refused everywhere well within a second; 10 ms to 1 second. Each poll is one read per
    /// log shard (16).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long after the last complete read of the revocation log the local revocation set is still trusted; after
    /// that (Redis unreachable), sessions not known to be revoked are <see cref="RevocationStatus.Unknown"/> and the
    /// validator follows <c>SessionStoreOptions.UnavailableBehavior</c>. Known revocations are always honoured.
    /// Defaults to 30 seconds: long enough to ride out a failover, short enough to bound how long a revocation made
    /// elsewhere during an outage can be missed. At least twice <see cref="PollInterval"/> (the set is as old as a poll
    /// interval plus the read itself between two reads, so a shorter tolerance refuses sessions between polls), at most
    /// 10 minutes.
    /// </summary>
    public TimeSpan StalenessTolerance { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many replicas must acknowledge a revocation (Redis <c>WAIT</c>) before <c>Revoke</c> answers, so that an
    /// acknowledged revocation survives the failover of its primary. A primary with fewer connected replicas than
    /// this is waited for by as many as it has, with a warning logged once for it and the health check Degraded while it
    /// lasts; a primary without any replica is not waited for (its revocations are as durable as its append-only file),
    /// and a warning is logged once. <c>WAIT</c> holds the connection it runs on, so
    /// above 0 the store opens a second connection to each primary that only revocations use: a replica that lags delays
    /// revocations, not the other commands. Defaults to 1; 0 (never wait, no second connection) to 5.
    /// </summary>
    public int ReplicaAcknowledgements { get; set; } = 1;

    /// <summary>
    /// How long a revocation waits for <see cref="ReplicaAcknowledgements"/>; if the replicas do not acknowledge it by
    /// then, the revocation fails as unavailable (it may be stored; retrying it is harmless). The revocations' connection
    /// allows the configuration's <c>asyncTimeout</c> plus this, so that Redis ends the wait, not the client. Defaults to
    /// 1 second; 10 ms to 30 seconds.
    /// </summary>
    public TimeSpan ReplicaAcknowledgementTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether the host's start fails when the revocation log cannot be read as the store starts (Redis down, a wrong
    /// address or password), with a <see cref="SessionStoreUnavailableException"/> naming the endpoints, never the
    /// configuration's password. Off by default: the host starts, the store keeps trying every
    /// <see cref="PollInterval"/>, and until it has read the log once validation follows
    /// <see cref="Sessions.Lifecycle.SessionStoreOptions.UnavailableBehavior"/>. On, an instance never serves without the revocations in
    /// force, and an operator sees the cause at once (the sample server turns it on).
    /// </summary>
    public bool RequireAtStart { get; set; }
}

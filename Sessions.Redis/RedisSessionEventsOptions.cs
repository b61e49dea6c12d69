namespace Sessions.Redis;

/// <summary>
/// Options of the session-events stream: where the session server publishes its lifecycle events
/// (<see cref="RedisSessionEventSink"/>) and how other services consume them (<c>AddSessionEvents</c>). Validated when
/// the host starts.
/// </summary>
public sealed class RedisSessionEventsOptions
{
    /// <summary>The configuration section these options are bound from by hosts: <c>Sessions:Events</c>.</summary>
    public const string SectionName = "Sessions:Events";

    /// <summary>
    /// The StackExchange.Redis configuration string of the Redis holding the stream (one primary or a cluster's seed
    /// nodes). Defaults to <c>127.0.0.1:6379</c>.
    /// </summary>
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>
    /// Called with the options parsed from <see cref="Configuration"/>, once, before the event sink or consumer opens its
    /// connection: to set what a configuration string cannot hold, such
    /// as the certificate of a private certificate authority (<c>o.TrustIssuer(path)</c>), a
    /// <c>CertificateValidation</c> callback, or a client certificate for Redis that requires one
    /// (<c>o.SetUserPfxCertificate(path, password)</c>, or a <c>CertificateSelection</c> callback). Defaults to <see langword="null"/>: the string
    /// alone. <c>AbortOnConnectFail</c> and <c>BacklogPolicy</c> are the events' own (a Redis that cannot be reached
    /// does not stop the host; a publication fails at once while it is down) and are set after it. Code only: not bound
    /// from configuration.
    /// </summary>
    public Action<StackExchange.Redis.ConfigurationOptions>? ConfigureConnection { get; set; }

    /// <summary>The stream's key. Defaults to <c>sessions:events</c>; publishers and consumers must agree on it.</summary>
    public string StreamKey { get; set; } = "sessions:events";

    /// <summary>
    /// How long events are kept in the stream (it is trimmed by age at every publication): a consumer down for longer
    /// misses the older ones. Defaults to 1 day; 1 minute to 30 days.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The consumer group: every group gets every event once (at least once), its consumers share them. Defaults to
    /// the entry assembly's name; set it per consuming service.
    /// </summary>
    public string ConsumerGroup { get; set; } = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "sessions-consumers";

    /// <summary>
    /// This consumer's name within its group: stable across restarts of one instance (so that it gets back what it
    /// had not acknowledged at once) and distinct between instances. Defaults to the machine name.
    /// </summary>
    public string ConsumerName { get; set; } = Environment.MachineName;

    /// <summary>
    /// How often the consumer asks for new events when there were none. Defaults to 100 ms; 10 ms to 10 seconds.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long an event may stay unacknowledged by the consumer it was delivered to (crashed, or stuck in its handler)
    /// before another consumer of the group takes it over and handles it again. Defaults to 30 seconds; 100 ms to 1 hour.
    /// </summary>
    public TimeSpan ClaimAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many events a consumer reads at once. Defaults to 100; 1 to 10,000.</summary>
    public int BatchSize { get; set; } = 100;
}

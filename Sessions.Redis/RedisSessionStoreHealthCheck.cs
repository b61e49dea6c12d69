using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sessions.Redis.Internal;
using StackExchange.Redis;

namespace Sessions.Redis;

/// <summary>
/// The health of <see cref="RedisSessionStore"/>, for readiness probes. <c>AddRedisSessionStore</c> and
/// <c>AddRedisStore</c> register it with the host's health checks (which the host adds: <c>AddHealthChecks()</c>,
/// <c>AddGrpcHealthChecks()</c>) as <see cref="Name"/>, tagged <see cref="Tag"/> and <see cref="ReadyTag"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="HealthStatus.Unhealthy"/>: the revocation log has not been read within
/// <see cref="RedisSessionStoreOptions.StalenessTolerance"/> (or never): validation now follows
/// <c>UnavailableBehavior</c>, and refreshes and revocations fail — the instance should not take traffic.</item>
/// <item><see cref="HealthStatus.Degraded"/>: the instance still serves correctly but with less margin: Redis has not
/// answered for several polls (known revocations in force, other sessions trusted for the rest of the tolerance), the
/// connection revocations are written and waited for on (opened when
/// <see cref="RedisSessionStoreOptions.ReplicaAcknowledgements"/> is not 0) is not connected to a primary, so
/// revocations fail, its replicas did not acknowledge the latest revocation within
/// <see cref="RedisSessionStoreOptions.ReplicaAcknowledgementTimeout"/> (in the last 10 seconds, none acknowledged since),
/// or, when <see cref="RedisSessionStoreOptions.ReplicaAcknowledgements"/> is above 0, a primary has no replica, so its
/// revocations would not survive losing it, or fewer replicas than that, so its revocations are acknowledged by fewer
/// (at 0 nothing waits for replicas, and a primary without replica is Healthy).</item>
/// <item>Redis refusing the configuration's password (NOAUTH, WRONGPASS) is said as such, Degraded or Unhealthy as above.</item>
/// <item><see cref="HealthStatus.Healthy"/> otherwise.</item>
/// </list>
/// Descriptions name endpoints by host and port, never a password or a key.
/// </remarks>
public sealed class RedisSessionStoreHealthCheck : IHealthCheck
{
    /// <summary>The name the check is registered under: <c>sessions-store</c>.</summary>
    public const string Name = "sessions-store";

    /// <summary>The tag every sessions health check carries, as <c>SessionHealthChecks.Tag</c>: <c>sessions</c>.</summary>
    public const string Tag = "sessions";

    /// <summary>
    /// The second tag of this check, for a readiness endpoint that runs only the checks that decide whether an instance
    /// takes traffic (<c>Predicate = c =&gt; c.Tags.Contains("ready")</c>): <c>ready</c>.
    /// </summary>
    public const string ReadyTag = "ready";

    private static readonly TimeSpan RoleTimeout = TimeSpan.FromMilliseconds(500);

    // How long a revocation that replicas did not acknowledge keeps the check Degraded when no other revocation follows
    // to say whether they acknowledge again: as long as the log lines of such timeouts are apart.
    private static readonly TimeSpan ReplicaTimeoutMemory = Sessions.Internal.RepeatedFailures.Interval;

    private readonly RedisSessionStore _store;

    /// <summary>Creates the check of <paramref name="store"/>.</summary>
    /// <param name="store">The store registered by <c>AddRedisSessionStore</c>.</param>
    public RedisSessionStoreHealthCheck(RedisSessionStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var options = _store.Options;
        var tolerance = options.StalenessTolerance;
        var data = new Dictionary<string, object> { ["endpoints"] = _store.Endpoints };
        if (_store.SinceLastRead is not { } since)
        {
            return HealthCheckResult.Unhealthy($"The revocation log of Redis {_store.Endpoints} has not been read yet: sessions follow UnavailableBehavior, refreshes and revocations fail.", data: data);
        }

        data["lastReadMilliseconds"] = (long)since.TotalMilliseconds;
        if (_store.PasswordRefused)
        {
            // Redis answers: not an outage to wait out but a setting to correct.
            data["passwordRefused"] = true;
            var refused = $"Redis {_store.Endpoints} refused the password of {_store.ConfigurationSetting} (NOAUTH or WRONGPASS); the revocation log was last read {Seconds(since)} s ago";
            return _store.IsCurrent
                ? HealthCheckResult.Degraded($"{refused}: known revocations stay in force, other sessions are trusted for {Seconds(tolerance - since)} s more; correct the password of the configuration string.", data: data)
                : HealthCheckResult.Unhealthy($"{refused}, longer than the {Seconds(tolerance)} s tolerated: sessions follow UnavailableBehavior, refreshes and revocations fail; correct the password of the configuration string.", data: data);
        }

        if (!_store.IsCurrent)
        {
            return HealthCheckResult.Unhealthy($"The revocation log of Redis {_store.Endpoints} was last read {Seconds(since)} s ago, longer than the {Seconds(tolerance)} s tolerated: sessions follow UnavailableBehavior, refreshes and revocations fail.", data: data);
        }

        if (since > 3 * options.PollInterval + TimeSpan.FromSeconds(1))
        {
            return HealthCheckResult.Degraded($"Redis {_store.Endpoints} has not answered for {Seconds(since)} s: known revocations stay in force, other sessions are trusted for {Seconds(tolerance - since)} s more.", data: data);
        }

        if (options.ReplicaAcknowledgements > 0 && _store.Connection is { } redis)
        {
            var primaries = redis.GetServers().Where(static s => s.IsConnected && !s.IsReplica).ToList();
            if (_store.RevocationConnection is { } revocations
                && primaries.Where(p => !IsConnected(revocations, p.EndPoint)).Select(static p => RedisEndpoints.Describe(p.EndPoint)).ToList() is { Count: > 0 } cut)
            {
                // Revocations (and their WAIT) run on a connection of their own: the log being read says nothing of it.
                data["revocationsDisconnectedFrom"] = string.Join(", ", cut);
                return HealthCheckResult.Degraded($"The revocations' connection to Redis primary {string.Join(", ", cut)} is not connected: revocations fail until it reconnects; validation is still correct.", data: data);
            }

            // A replica that hangs stays listed by its primary until the replication timeout (60 s by default) while
            // every revocation waits for it in vain: ROLE cannot tell, the revocations' own outcome can.
            if (_store.LastReplicaTimeout is { } timedOut && timedOut.Since < ReplicaTimeoutMemory)
            {
                data["replicaTimeoutMilliseconds"] = (long)timedOut.Since.TotalMilliseconds;
                return HealthCheckResult.Degraded($"Replicas of Redis primary {timedOut.Endpoint} did not acknowledge a revocation within {(long)options.ReplicaAcknowledgementTimeout.TotalMilliseconds} ms {Seconds(timedOut.Since)} s ago: revocations fail as unavailable until one is acknowledged; validation is still correct.", data: data);
            }

            var alone = new List<string>();
            var fewer = new List<string>();
            foreach (var server in primaries)
            {
                try
                {
                    // Bounded well below a probe's usual timeout (1 s in Kubernetes): a primary that hangs (frozen, not
                    // refusing) makes the check Degraded, not a timed-out probe that would count as a failure.
                    if (await server.RoleAsync().WaitAsync(RoleTimeout, cancellationToken).ConfigureAwait(false) is Role.Master { Replicas.Count: var replicas })
                    {
                        if (replicas == 0)
                        {
                            alone.Add(RedisEndpoints.Describe(server.EndPoint));
                        }
                        else if (replicas < options.ReplicaAcknowledgements)
                        {
                            fewer.Add($"Redis primary {RedisEndpoints.Describe(server.EndPoint)} has {replicas} replica(s)");
                        }
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    return HealthCheckResult.Degraded($"Redis primary {RedisEndpoints.Describe(server.EndPoint)} did not answer ({ex.GetType().Name}).", data: data);
                }
            }

            if (alone.Count > 0)
            {
                data["primariesWithoutReplica"] = string.Join(", ", alone);
                return HealthCheckResult.Degraded($"Redis primary {string.Join(", ", alone)} has no replica: revocations written to it would not survive losing it.", data: data);
            }

            if (fewer.Count > 0)
            {
                // The store waits for the replicas there are: revocations succeed, with fewer copies than asked for.
                data["primariesWithFewerReplicas"] = string.Join("; ", fewer);
                return HealthCheckResult.Degraded($"{_store.ReplicaAcknowledgementsSetting} is {options.ReplicaAcknowledgements} but {string.Join("; ", fewer)}: revocations are acknowledged by the replicas there are, fewer than asked for. Give it more replicas, or lower the setting.", data: data);
            }
        }

        return HealthCheckResult.Healthy($"The revocation log of Redis {_store.Endpoints} was read {(long)since.TotalMilliseconds} ms ago.", data);
    }

    // A node the revocations' connection does not know yet (a cluster's topology read by the other first) is not one it
    // can send a revocation to.
    private static bool IsConnected(IConnectionMultiplexer connection, System.Net.EndPoint endPoint)
    {
        try
        {
            return connection.GetServer(endPoint).IsConnected;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Seconds(TimeSpan time) => Math.Max(0, time.TotalSeconds).ToString("0.#", CultureInfo.InvariantCulture);
}

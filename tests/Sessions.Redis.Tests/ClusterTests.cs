using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sessions.Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sessions.Redis.Tests;

/// <summary>
/// The store on a real Redis Cluster (three primaries, three replicas): every script runs on one hash slot (a script
/// naming keys of two slots fails with CROSSSLOT), and two instances behave as one across the cluster's nodes.
/// </summary>
[Collection(SharedClusterGroup.Name)]
public sealed class ClusterTests(SharedCluster cluster, ITestOutputHelper output)
{
    private const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    /// <summary>The lifecycle's guarantees against the reference model (replay with SESSIONS_MODEL_SEED=&lt;seed&gt;).</summary>
    [Fact]
    public Task On_a_cluster_two_instances_keep_every_lifecycle_guarantee_under_concurrency() =>
        TwoInstanceModelRun.RunAsync(cluster.Configuration, seed: 2, output);

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public Task On_a_cluster_the_store_answers_every_operation_as_the_in_memory_store(int seed) =>
        StoreEquivalenceTests.RunAsync(cluster.Configuration, seed);

    [Fact]
    public Task On_a_cluster_a_users_list_holds_only_live_chains_after_many_sign_ins_and_log_outs() =>
        UserChainsTests.RunAsync(cluster.Configuration);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task On_a_cluster_a_defaultDatabase_other_than_0_stops_the_start_naming_the_setting_not_as_unreachable(bool requireAtStart)
    {
        // Before, the replay failed on every node with the client's RedisCommandException: with RequireAtStart the start
        // said the cluster "could not be read at start" (start Redis there, or correct the address), without it the
        // store retried for ever and every call failed as unavailable. A cluster has database 0 only: a setting to fix.
        const string password = "cluster-password-never-in-a-message-0123";
        var configuration = $"{cluster.Configuration},defaultDatabase=1,user=default,password={password}";
        var endpoints = string.Join(", ", cluster.Configuration.Split(','));
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shared:Store:Configuration"] = configuration,
            ["Shared:Store:KeyPrefix"] = SharedRedis.NewPrefix(),
            ["Shared:Store:RequireAtStart"] = requireAtStart ? "true" : "false",
        });
        builder.Services.AddRedisSessionStore(builder.Configuration.GetSection("Shared:Store"));
        using var host = builder.Build();

        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            $"Shared:Store:Configuration names a Redis Cluster ({endpoints}) and defaultDatabase=1: a cluster has database 0 only. "
            + "Remove defaultDatabase from the configuration string, or set it to 0.",
            refused.Message);
        Assert.DoesNotContain(password, refused.Message, StringComparison.Ordinal);

        // Options given to the constructor are named as code sets them.
        await using var store = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = configuration, KeyPrefix = SharedRedis.NewPrefix(), RequireAtStart = requireAtStart });
        var direct = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => store.StartAsync());
        Assert.StartsWith($"RedisSessionStoreOptions.Configuration names a Redis Cluster ({endpoints}) and defaultDatabase=1:", direct.Message, StringComparison.Ordinal);
    }

    [Fact]
    public Task On_a_cluster_a_chain_whose_newest_refresh_token_expired_holds_no_slot_and_is_not_listed() =>
        UserChainsTests.IdleRunAsync(cluster.Configuration);

    [Fact]
    public Task On_a_cluster_RevokeAll_succeeds_while_the_user_signs_in_before_each_of_its_writes_and_refuses_every_sign_in_until_it_returns() =>
        ContentionTests.RevokeAllRunAsync(cluster.Configuration);

    [Fact]
    public Task On_a_cluster_Create_at_the_per_user_cap_while_the_users_chains_change_before_each_of_its_writes_is_refused_by_the_cap() =>
        ContentionTests.CreateAtCapRunAsync(cluster.Configuration);

    [Fact]
    public async Task On_a_cluster_two_instances_share_chains_revocations_and_devices()
    {
        var prefix = SharedRedis.NewPrefix();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = await Instance.StartAsync(cluster.Configuration, prefix, time);
        await using var b = await Instance.StartAsync(cluster.Configuration, prefix, time);
        var users = Enumerable.Range(0, 8).Select(i => $"user-{i}").ToArray();

        // Users spread over the shards, hence over the primaries.
        var created = new List<RefreshTokenIssued>();
        foreach (var user in users)
        {
            created.Add(await a.Lifecycle.IssueWithRefreshTokenAsync(user, description: "phone"));
        }

        var parallel = await Task.WhenAll(created.Select((c, i) => (i % 2 == 0 ? a : b).RefreshAsync(c.RefreshToken)).Concat(created.Select(c => b.RefreshAsync(c.RefreshToken))));
        for (var i = 0; i < created.Count; i++)
        {
            Assert.Equal(parallel[i].RefreshToken, parallel[i + created.Count].RefreshToken);
        }

        Assert.Single(await b.Lifecycle.ListSessionsAsync(users[3]));
        await b.Lifecycle.RevokeSessionAsync(parallel[1].Session.SessionId.ToString("D"));
        await b.Lifecycle.RevokeSubjectAsync(users[2]);
        await b.Lifecycle.RevokeSessionAsync(Guid.NewGuid().ToString("D"));
        time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(RefreshTokenRotationStatus.Reused, (await a.Lifecycle.RefreshAsync(created[4].RefreshToken)).Status);

        foreach (var revoked in new[] { parallel[1], parallel[2], parallel[4] })
        {
            await Poll.UntilAsync(async () => await a.ValidateAsync(revoked.Session.Token) == SessionFailureReason.Revoked, TimeSpan.FromSeconds(1), "A refuses the revoked session");
            await Poll.UntilAsync(async () => await b.ValidateAsync(revoked.Session.Token) == SessionFailureReason.Revoked, TimeSpan.FromSeconds(1), "B refuses the revoked session");
        }

        Assert.Equal(SessionFailureReason.None, await a.ValidateAsync(parallel[3].Session.Token));
        Assert.Empty(await a.Lifecycle.ListSessionsAsync(users[2]));
        await using var late = await Instance.StartAsync(cluster.Configuration, prefix, time);
        Assert.Equal(SessionFailureReason.Revoked, await late.ValidateAsync(parallel[1].Session.Token));
        Assert.Equal(SessionFailureReason.Revoked, await late.ValidateAsync(parallel[2].Session.Token));
        Assert.Equal(SessionFailureReason.Revoked, await late.ValidateAsync(parallel[4].Session.Token));
        Assert.Equal(SessionFailureReason.None, await late.ValidateAsync(parallel[5].Session.Token));

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, (await new RedisSessionStoreHealthCheck(a.Store).CheckHealthAsync(new())).Status);

        // Every primary has a replica, so every revocation waited for one (none was written without).
        Assert.DoesNotContain(a.Log.Lines.Concat(b.Log.Lines), l => l.Contains("NoReplica", StringComparison.Ordinal) || l.Contains("ReplicaTimeout", StringComparison.Ordinal));
    }
}

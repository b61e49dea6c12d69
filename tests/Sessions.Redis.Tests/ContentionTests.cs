using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Sessions.Grpc.Protocol;
using Sessions.Redis.Internal;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>
/// Operations on a user's chains read the user's list, then write in a script; another instance's sign-in of the same
/// user lands between the two — every time, through an <see cref="InterceptingProxy"/> in front of the instance under
/// test. <c>RevokeAll</c> still succeeds at once and refuses everything issued before it returns; <c>Create</c> at the
/// per-user cap is refused as over the cap, never reported unavailable.
/// </summary>
[Collection(SharedRedisGroup.Name)]
public sealed class ContentionTests(SharedRedis redis)
{
    private const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [Fact]
    public Task RevokeAll_succeeds_while_the_user_signs_in_before_each_of_its_writes_and_refuses_every_sign_in_until_it_returns() =>
        RevokeAllRunAsync(redis.Configuration);

    [Fact]
    public Task Create_at_the_per_user_cap_while_the_users_chains_change_before_each_of_its_writes_is_refused_by_the_cap_not_unavailable() =>
        CreateAtCapRunAsync(redis.Configuration);

    [Fact]
    public async Task RevokeAll_over_gRPC_answers_OK_while_another_instance_signs_the_user_in_before_each_of_its_writes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var prefix = SharedRedis.NewPrefix();
        var chains = (string)new RedisKeys(prefix).SubjectChains(User)!;
        await using var other = await ServiceHost.StartAsync(redis.Configuration, prefix, time);
        var signedIn = new ConcurrentQueue<TokenReply>();
        for (var i = 0; i < 3; i++)
        {
            signedIn.Enqueue(await other.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true }));
        }

        await using var proxy = new InterceptingProxy(
            command => InterceptingProxy.IsScriptNaming(command, chains),
            async () => signedIn.Enqueue(await other.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true })));
        await using var host = await ServiceHost.StartAsync($"{redis.Configuration},{proxy.Tunnel}", prefix, time);

        var revoked = await host.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = User });

        Assert.True(proxy.Intercepted > 0);
        Assert.Equal(3 + proxy.Intercepted, signedIn.Count);
        await host.Store.SynchronizeAsync();
        await other.Store.SynchronizeAsync();
        foreach (var service in new[] { host, other })
        {
            foreach (var session in signedIn)
            {
                var validate = await Assert.ThrowsAsync<RpcException>(() => service.Client.ValidateAsync(new ValidateTokenRequest { Token = session.Token }).ResponseAsync);
                Assert.Equal((StatusCode.InvalidArgument, "token is revoked"), (validate.StatusCode, validate.Status.Detail));
                var refresh = await Assert.ThrowsAsync<RpcException>(() => service.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = session.RefreshToken }).ResponseAsync);
                Assert.Equal("refresh token is revoked; sign in again", refresh.Status.Detail);
            }
        }

        Assert.Empty((await other.Client.ListSessionsAsync(new ListSessionsRequest { UserId = User })).Sessions);

        // A sign-in after RevokeAll returned is valid everywhere and refreshes.
        time.Advance(TimeSpan.FromSeconds(1));
        var after = await host.Client.CreateAsync(new CreateRequest { UserId = User, WithRefreshToken = true });
        Assert.True(after.IssuedAt > revoked.RevokedAt);
        Assert.True((await other.Client.ValidateAsync(new ValidateTokenRequest { Token = after.Token })).Valid);
        Assert.True((await other.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = after.RefreshToken })).Valid);
    }

    /// <summary>
    /// Instance A revokes the user's sessions; before each script it sends that names the user's list, instance B signs
    /// the user in (at the same instant of the shared clock, so at or before the revocation's).
    /// </summary>
    internal static async Task RevokeAllRunAsync(string configuration)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var prefix = SharedRedis.NewPrefix();
        var chains = (string)new RedisKeys(prefix).SubjectChains(User)!;
        await using var b = await Instance.StartAsync(configuration, prefix, time);
        var signedIn = new ConcurrentQueue<RefreshTokenIssued>();
        for (var i = 0; i < 3; i++)
        {
            var issued = await b.Lifecycle.IssueWithRefreshTokenAsync(User, description: $"device {i}");
            signedIn.Enqueue(i == 0 ? await b.RefreshAsync(issued.RefreshToken) : issued);
        }

        await using var proxy = new InterceptingProxy(
            command => InterceptingProxy.IsScriptNaming(command, chains),
            async () => signedIn.Enqueue(await b.Lifecycle.IssueWithRefreshTokenAsync(User, description: "signing in during RevokeAll")));
        await using var a = await Instance.StartAsync($"{configuration},{proxy.Tunnel}", prefix, time);

        await a.Lifecycle.RevokeSubjectAsync(User);

        // Each of A's scripts found a chain listed since its read; none was retried into giving up.
        Assert.True(proxy.Intercepted > 0);
        Assert.Equal(3 + proxy.Intercepted, signedIn.Count);
        Assert.DoesNotContain(a.Log.Lines, l => l.Contains("Contended", StringComparison.Ordinal));

        // Every session and refresh token issued until RevokeAll returned is refused, on both instances and on one started
        // afterwards; the user's list is empty.
        await a.Store.SynchronizeAsync();
        await b.Store.SynchronizeAsync();
        await using var late = await Instance.StartAsync(configuration, prefix, time);
        foreach (var instance in new[] { a, b, late })
        {
            foreach (var session in signedIn)
            {
                Assert.Equal(SessionFailureReason.Revoked, await instance.ValidateAsync(session.Session.Token));
                Assert.Equal(RefreshTokenRotationStatus.Revoked, (await instance.Lifecycle.RefreshAsync(session.RefreshToken)).Status);
            }
        }

        Assert.Empty(await b.Lifecycle.ListSessionsAsync(User));
        Assert.Equal(0, await b.Store.Connection!.GetDatabase().SortedSetLengthAsync(chains));

        // A sign-in after RevokeAll returned is valid everywhere and refreshes.
        time.Advance(TimeSpan.FromMilliseconds(5));
        var after = await b.Lifecycle.IssueWithRefreshTokenAsync(User);
        Assert.Equal(SessionFailureReason.None, await a.ValidateAsync(after.Session.Token));
        Assert.Equal(SessionFailureReason.None, await a.ValidateAsync((await a.RefreshAsync(after.RefreshToken)).Session.Token));
        Assert.Single(await a.Lifecycle.ListSessionsAsync(User));
    }

    /// <summary>
    /// The user holds two chains and a third that another instance keeps replacing (revoking it and signing in again)
    /// before each script instance A sends that names the user's list: the user always holds the cap's three.
    /// </summary>
    internal static async Task CreateAtCapRunAsync(string configuration)
    {
        const int Cap = 3;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var prefix = SharedRedis.NewPrefix();
        var chains = (string)new RedisKeys(prefix).SubjectChains(User)!;
        await using var b = await Instance.StartAsync(configuration, prefix, time, storeOptions: o => o.MaxChainsPerSubject = Cap);
        for (var i = 0; i < Cap - 1; i++)
        {
            await b.Lifecycle.IssueWithRefreshTokenAsync(User);
        }

        RefreshTokenIssued? replaced = null;
        await using var proxy = new InterceptingProxy(
            command => InterceptingProxy.IsScriptNaming(command, chains),
            async () =>
            {
                if (replaced is not null)
                {
                    await b.Lifecycle.RevokeTokenAsync(replaced.Session.Token);
                }

                replaced = await b.Lifecycle.IssueWithRefreshTokenAsync(User);
            });
        await using var a = await Instance.StartAsync($"{configuration},{proxy.Tunnel}", prefix, time, storeOptions: o => o.MaxChainsPerSubject = Cap);

        var refused = await Assert.ThrowsAsync<SessionStoreLimitException>(() => a.Lifecycle.IssueWithRefreshTokenAsync(User));

        Assert.Contains(nameof(SessionStoreOptions.MaxChainsPerSubject), refused.Message, StringComparison.Ordinal);
        Assert.True(proxy.Intercepted > 0);
        Assert.Equal(Cap, await b.Store.Connection!.GetDatabase().SortedSetLengthAsync(chains));
        Assert.Equal(Cap, (await b.Lifecycle.ListSessionsAsync(User)).Count);

        // Once the user has room again, a sign-in succeeds.
        await b.Lifecycle.RevokeTokenAsync(replaced!.Session.Token);
        await using var direct = await Instance.StartAsync(configuration, prefix, time, storeOptions: o => o.MaxChainsPerSubject = Cap);
        var signedIn = await direct.Lifecycle.IssueWithRefreshTokenAsync(User);
        Assert.Equal(SessionFailureReason.None, await direct.ValidateAsync(signedIn.Session.Token));
    }
}

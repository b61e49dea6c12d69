using Microsoft.Extensions.Time.Testing;
using Sessions.Redis.Internal;
using Sessions.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sessions.Redis.Tests;

/// <summary>
/// A user's list of chains (what <c>Create</c>'s per-user cap, <c>ListSessions</c> and <c>RevokeAll</c> read) holds the
/// chains that can still refresh, not every chain the user ever ended: its size, read with <c>ZCARD</c>, stays the
/// number of live chains however many sign-in and log-out cycles came before, and every revocation still holds.
/// </summary>
[Collection(SharedRedisGroup.Name)]
public sealed class UserChainsTests(SharedRedis redis)
{
    [Fact]
    public Task After_many_sign_ins_and_log_outs_the_users_list_holds_only_live_chains() => RunAsync(redis.Configuration);

    [Fact]
    public async Task A_chain_that_stopped_refreshing_frees_its_slot_of_MaxChains_once_nothing_it_issued_can_be_accepted()
    {
        // Before, every chain counted until its absolute end (30 days by default), revoked or abandoned: a store full of
        // chains that could issue nothing refused every sign-in with a refresh token for up to a month.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), time, storeOptions: o => o.MaxChains = RedisKeys.ShardCount);
        var users = Enumerable.Range(0, 1000).Select(i => $"user-{i}").Where(u => RedisKeys.ShardOfSubject(u) == RedisKeys.ShardOfSubject("user-0")).Take(3).ToArray();
        var t0 = time.GetUtcNow();
        var abandoned = new RefreshChainRecord(NewChainId(users[0]), users[0], t0, t0.AddDays(30));
        await instance.Store.CreateChainAsync(abandoned, new RefreshTokenRecord("a1", Guid.NewGuid().ToString("D"), t0.AddMinutes(15), t0, t0.AddHours(1)));
        var second = new RefreshChainRecord(NewChainId(users[1]), users[1], t0, t0.AddDays(30));
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => instance.Store.CreateChainAsync(second, new RefreshTokenRecord("b1", Guid.NewGuid().ToString("D"), t0.AddMinutes(15), t0, t0.AddHours(1))));

        // A refresh keeps the chain, and its slot, as long as its new token.
        time.Advance(TimeSpan.FromMinutes(50));
        var t1 = time.GetUtcNow();
        Assert.Equal(RefreshTokenRotationStatus.Rotated, (await instance.Store.RotateRefreshTokenAsync(new RefreshTokenRotationRequest(
            abandoned.ChainId, "a1", new RefreshTokenRecord("a2", Guid.NewGuid().ToString("D"), t1.AddMinutes(15), t1, t1.AddHours(1)), "sealed", t1, TimeSpan.FromSeconds(10)))).Status);
        time.Advance(TimeSpan.FromMinutes(30));
        var t2 = time.GetUtcNow();
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => instance.Store.CreateChainAsync(
            new RefreshChainRecord(NewChainId(users[1]), users[1], t2, t2.AddDays(30)), new RefreshTokenRecord("b2", Guid.NewGuid().ToString("D"), t2.AddMinutes(15), t2, t2.AddHours(1))));

        // Its newest refresh token and every session it issued have expired: the slot is free.
        time.Advance(TimeSpan.FromMinutes(31));
        var t3 = time.GetUtcNow();
        await instance.Store.CreateChainAsync(
            new RefreshChainRecord(NewChainId(users[2]), users[2], t3, t3.AddDays(30)), new RefreshTokenRecord("c1", Guid.NewGuid().ToString("D"), t3.AddMinutes(15), t3, t3.AddHours(1)));
        Assert.Equal(RefreshTokenRotationStatus.NotFound, (await instance.Store.RotateRefreshTokenAsync(new RefreshTokenRotationRequest(
            abandoned.ChainId, "a2", new RefreshTokenRecord("a3", Guid.NewGuid().ToString("D"), t3.AddMinutes(15), t3, t3.AddHours(1)), "sealed", t3, TimeSpan.FromSeconds(10)))).Status);
    }

    [Fact]
    public async Task A_chain_refreshed_many_times_within_its_grace_periods_keeps_the_sealed_successors_of_its_last_two_used_tokens_only()
    {
        // Before, every used token kept its sealed successor (about 0.7 KB in Redis) as long as the chain: a chain
        // refreshed a thousand times held close to a megabyte.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), time);
        var t0 = time.GetUtcNow();
        var chain = new RefreshChainRecord(NewChainId("sealed-user"), "sealed-user", t0, t0.AddDays(30));
        await instance.Store.CreateChainAsync(chain, new RefreshTokenRecord("h0", Guid.NewGuid().ToString("D"), t0.AddHours(1), t0, t0.AddDays(1)));
        for (var i = 0; i < 50; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            var now = time.GetUtcNow();
            var rotation = await instance.Store.RotateRefreshTokenAsync(new RefreshTokenRotationRequest(
                chain.ChainId, $"h{i}", new RefreshTokenRecord($"h{i + 1}", Guid.NewGuid().ToString("D"), now.AddHours(1), now, now.AddDays(1)), $"sealed-{i + 1}", now, TimeSpan.FromSeconds(10)));
            Assert.Equal(RefreshTokenRotationStatus.Rotated, rotation.Status);
        }

        var fields = await instance.Store.Connection!.GetDatabase().HashKeysAsync(instance.Store.Keys.Chain(chain.ChainId));
        Assert.Equal(["x:h48", "x:h49"], fields.Select(static f => f.ToString()).Where(static f => f.StartsWith("x:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        // Within the grace period, the last used token gets its successor again; one used before the last two is a reuse.
        var later = time.GetUtcNow();
        var retry = await instance.Store.RotateRefreshTokenAsync(new RefreshTokenRotationRequest(
            chain.ChainId, "h49", new RefreshTokenRecord("x1", Guid.NewGuid().ToString("D"), later.AddHours(1), later, later.AddDays(1)), "unused", later, TimeSpan.FromSeconds(10)));
        Assert.Equal((RefreshTokenRotationStatus.RotatedWithinGracePeriod, "sealed-50"), (retry.Status, retry.SealedSuccessor));
        var old = await instance.Store.RotateRefreshTokenAsync(new RefreshTokenRotationRequest(
            chain.ChainId, "h47", new RefreshTokenRecord("x2", Guid.NewGuid().ToString("D"), later.AddHours(1), later, later.AddDays(1)), "unused", later, TimeSpan.FromSeconds(10)));
        Assert.Equal(RefreshTokenRotationStatus.Reused, old.Status);
    }

    [Fact]
    public async Task RevokeAll_of_a_user_whose_chains_are_all_revoked_is_not_counted_as_a_revocation_of_an_unknown_user()
    {
        const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);

        // One revocation of an unknown user per shard: a stranger in the user's shard fills it.
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), time, storeOptions: o => o.MaxRevocations = RedisKeys.ShardCount);
        var strangers = Enumerable.Range(0, 1000).Select(i => $"stranger-{i}").Where(s => RedisKeys.ShardOfSubject(s) == RedisKeys.ShardOfSubject(User)).Take(2).ToArray();
        var issued = await instance.Lifecycle.IssueWithRefreshTokenAsync(User);
        await instance.Lifecycle.RevokeTokenAsync(issued.Session.Token);
        await instance.Lifecycle.RevokeSubjectAsync(strangers[0]);
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => instance.Lifecycle.RevokeSubjectAsync(strangers[1]));

        // The user's chain left the list when revoked, but the store still holds it: "log out everywhere" is not refused.
        time.Advance(TimeSpan.FromSeconds(1));
        await instance.Lifecycle.RevokeSubjectAsync(User);
        await instance.Lifecycle.RevokeSubjectAsync(User);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await instance.Lifecycle.RefreshAsync(issued.RefreshToken)).Status);
        Assert.Equal(0, await ListLengthAsync(instance, User));

        // Once nothing of the chain can be accepted any more, the user is unknown again, and counted as such.
        time.Advance(TimeSpan.FromDays(31));
        await instance.Lifecycle.RevokeSubjectAsync(strangers[1]);
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => instance.Lifecycle.RevokeSubjectAsync(User));
    }

    [Fact]
    public async Task Concurrent_sign_ins_of_one_user_below_the_cap_all_succeed_and_the_cap_still_holds_exactly()
    {
        const string User = "concurrent-user";
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var prefix = SharedRedis.NewPrefix();
        await using var a = await Instance.StartAsync(redis.Configuration, prefix, time, storeOptions: o => o.MaxChainsPerSubject = 100);
        await using var b = await Instance.StartAsync(redis.Configuration, prefix, time, storeOptions: o => o.MaxChainsPerSubject = 100);

        // Each sign-in reads the user's list, then its script finds the chains listed since: below the cap it counts them
        // as live instead of retrying, so none gives up as unavailable however many sign in at once.
        for (var round = 0; round < 4; round++)
        {
            var signIns = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => (i % 2 == 0 ? a : b).Lifecycle.IssueWithRefreshTokenAsync(User)));
            await Task.WhenAll(signIns.Select((s, i) => (i % 2 == 0 ? b : a).Lifecycle.RevokeTokenAsync(s.Session.Token)));
        }

        Assert.Equal(0, await ListLengthAsync(a, User));

        // At the cap, the chains listed since are counted exactly: never more than the cap, whatever the race.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 130).Select(async i =>
        {
            try
            {
                await (i % 2 == 0 ? a : b).Lifecycle.IssueWithRefreshTokenAsync(User);
                return "created";
            }
            catch (SessionStoreLimitException)
            {
                return "limit";
            }
            catch (SessionStoreUnavailableException)
            {
                return "unavailable";
            }
        }));
        Assert.Equal(100, outcomes.Count(o => o == "created"));
        Assert.Equal(100, await ListLengthAsync(a, User));
        Assert.Equal(100, (await a.Lifecycle.ListSessionsAsync(User)).Count);
    }

    [Fact]
    public Task A_chain_whose_newest_refresh_token_expired_holds_no_slot_and_is_not_listed() => IdleRunAsync(redis.Configuration);

    /// <summary>
    /// A user at the per-user cap abandons a device: once its newest refresh token has expired, it is neither listed nor
    /// counted, a new sign-in takes its slot and its chain leaves the list; a refresh that read an earlier clock cannot
    /// bring it back; its token is refused and its session id still revokes it.
    /// </summary>
    internal static async Task IdleRunAsync(string configuration)
    {
        const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var prefix = SharedRedis.NewPrefix();

        // Refresh tokens shorter-lived than sessions (an hour; sessions a day), so that the abandoned device's session is
        // still live when its chain goes idle.
        static void Options(SessionStoreOptions o)
        {
            o.MaxChainsPerSubject = 2;
            o.RefreshTokenLifetime = TimeSpan.FromHours(1);
        }

        await using var a = await Instance.StartAsync(configuration, prefix, time, storeOptions: Options);
        await using var b = await Instance.StartAsync(configuration, prefix, time, storeOptions: Options);

        // Two devices at the cap of 2: the laptop is refreshed within its refresh lifetime, the phone is abandoned.
        var phone = await a.Lifecycle.IssueWithRefreshTokenAsync(User, description: "phone");
        time.Advance(TimeSpan.FromSeconds(1));
        var laptop = await a.Lifecycle.IssueWithRefreshTokenAsync(User, description: "laptop");
        time.Advance(TimeSpan.FromMinutes(30));
        laptop = await b.RefreshAsync(laptop.RefreshToken);

        // Until its refresh token expires, the phone is a signed-in device: listed, and holding a slot.
        time.Advance(phone.RefreshExpiresAt - time.GetUtcNow() - TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, (await b.Lifecycle.ListSessionsAsync(User)).Count);
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => b.Lifecycle.IssueWithRefreshTokenAsync(User));

        // From then on it can issue nothing more: not listed, and a new sign-in takes its slot and its place in the list.
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(laptop.ChainId, Assert.Single(await a.Lifecycle.ListSessionsAsync(User)).ChainId);
        var tablet = await b.Lifecycle.IssueWithRefreshTokenAsync(User, description: "tablet");
        Assert.Equal(2, await ListLengthAsync(a, User));
        Assert.Equal([tablet.ChainId, laptop.ChainId], (await a.Lifecycle.ListSessionsAsync(User)).Select(static c => c.ChainId));

        // The laptop, refreshed within its refresh lifetime, still holds its slot.
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => a.Lifecycle.IssueWithRefreshTokenAsync(User));

        // The phone's refresh token is refused as before; its session lives on until it expires.
        Assert.Equal(RefreshTokenRotationStatus.Expired, (await a.Lifecycle.RefreshAsync(phone.RefreshToken)).Status);
        Assert.Equal(SessionFailureReason.None, await b.ValidateAsync(phone.Session.Token));

        // RevokeAll ends every session of the user, the idle chain's included, and the live chains.
        time.Advance(TimeSpan.FromSeconds(1));
        await a.Lifecycle.RevokeSubjectAsync(User);
        await b.Store.SynchronizeAsync();
        foreach (var device in new[] { phone, laptop, tablet })
        {
            Assert.Equal(SessionFailureReason.Revoked, await b.ValidateAsync(device.Session.Token));
        }

        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await b.Lifecycle.RefreshAsync(laptop.RefreshToken)).Status);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await b.Lifecycle.RefreshAsync(tablet.RefreshToken)).Status);
        Assert.NotEqual(RefreshTokenRotationStatus.Rotated, (await b.Lifecycle.RefreshAsync(phone.RefreshToken)).Status);
        Assert.Empty(await b.Lifecycle.ListSessionsAsync(User));
        Assert.Equal(0, await ListLengthAsync(a, User));

        // Revoking by a session id the idle chain issued still finds the chain.
        var record = await a.Store.RevokeSessionAsync(phone.Session.SessionId.ToString("D"), time.GetUtcNow().AddHours(1), time.GetUtcNow());
        Assert.Equal(phone.ChainId, record?.ChainId);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await b.Lifecycle.RefreshAsync(phone.RefreshToken)).Status);

        // The store decides in the order calls reach it: once a sign-in took an idle chain's slot, a refresh that read an
        // earlier clock (another instance's, or one delayed) cannot bring the chain back unlisted, out of the cap's, the
        // list's and RevokeAll's reach.
        const string Other = "idle-race-user";
        await using var single = await Instance.StartAsync(configuration, prefix, time, storeOptions: o => o.MaxChainsPerSubject = 1);
        var t0 = time.GetUtcNow();
        var idle = new RefreshChainRecord(NewChainId(Other), Other, t0, t0.AddDays(30));
        await single.Store.CreateChainAsync(idle, new RefreshTokenRecord("h1", Guid.NewGuid().ToString("D"), t0.AddMinutes(15), t0, t0.AddHours(1)));
        var later = t0.AddHours(1);
        time.Advance(TimeSpan.FromHours(1));
        var signedIn = new RefreshChainRecord(NewChainId(Other), Other, later, later.AddDays(30));
        await single.Store.CreateChainAsync(signedIn, new RefreshTokenRecord("h2", Guid.NewGuid().ToString("D"), later.AddMinutes(15), later, later.AddHours(1)));

        var stale = later - TimeSpan.FromMilliseconds(1);
        var successor = new RefreshTokenRecord("h3", Guid.NewGuid().ToString("D"), stale.AddMinutes(15), stale, stale.AddHours(1));
        var rotation = await single.Store.RotateRefreshTokenAsync(new RefreshTokenRotationRequest(idle.ChainId, "h1", successor, "sealed", stale, TimeSpan.FromSeconds(10)));
        Assert.Equal(RefreshTokenRotationStatus.Expired, rotation.Status);
        Assert.Equal(signedIn.ChainId, Assert.Single(await single.Store.ListChainsAsync(Other, later)).ChainId);
        Assert.Equal(1, await ListLengthAsync(single, Other));
    }

    /// <summary>Sign-in and log-out cycles of one user, every way a chain ends; then the user's list is read with ZCARD.</summary>
    internal static async Task RunAsync(string configuration)
    {
        const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
        const int Cycles = 60;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = await Instance.StartAsync(configuration, SharedRedis.NewPrefix(), time, storeOptions: o => o.MaxChainsPerSubject = 2);
        var kept = await a.Lifecycle.IssueWithRefreshTokenAsync(User, description: "laptop");
        var ended = new List<RefreshTokenIssued>();
        for (var i = 0; i < Cycles; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            var signedIn = await a.Lifecycle.IssueWithRefreshTokenAsync(User, description: "phone");
            switch (i % 4)
            {
                case 0:
                    await a.Lifecycle.RevokeTokenAsync(signedIn.Session.Token);
                    break;
                case 1:
                    await a.Lifecycle.RevokeSessionAsync(signedIn.Session.SessionId.ToString("D"));
                    break;
                case 2:
                    Assert.True(await a.Store.RevokeChainAsync(signedIn.ChainId, time.GetUtcNow()));
                    break;
                default:
                    // Reuse detection ends the chain: its first token presented again after the grace period.
                    var next = await a.RefreshAsync(signedIn.RefreshToken);
                    time.Advance(TimeSpan.FromSeconds(11));
                    Assert.Equal(RefreshTokenRotationStatus.Reused, (await a.Lifecycle.RefreshAsync(signedIn.RefreshToken)).Status);
                    signedIn = next;
                    break;
            }

            ended.Add(signedIn);
            Assert.Equal(1, await ListLengthAsync(a, User));
        }

        // Every ended chain stays refused, everywhere, its refresh tokens as revoked and its sessions too.
        await using var b = await Instance.StartAsync(configuration, a.Store.Options.KeyPrefix, time, storeOptions: o => o.MaxChainsPerSubject = 2);
        foreach (var instance in new[] { a, b })
        {
            foreach (var chain in ended)
            {
                Assert.Equal(SessionFailureReason.Revoked, await instance.ValidateAsync(chain.Session.Token));
                Assert.Equal(RefreshTokenRotationStatus.Revoked, (await instance.Lifecycle.RefreshAsync(chain.RefreshToken)).Status);
            }
        }

        // The per-user operations see the live chain only; the cap of 2 counts it alone.
        Assert.Equal(kept.ChainId, Assert.Single(await b.Lifecycle.ListSessionsAsync(User)).ChainId);
        var another = await b.Lifecycle.IssueWithRefreshTokenAsync(User);
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => b.Lifecycle.IssueWithRefreshTokenAsync(User));
        Assert.Equal(2, await ListLengthAsync(a, User));

        // Revoking by session id still finds a revoked chain while it is kept: the store answers with it.
        var record = await a.Store.RevokeSessionAsync(ended[1].Session.SessionId.ToString("D"), time.GetUtcNow().AddHours(1), time.GetUtcNow());
        Assert.Equal(ended[1].ChainId, record?.ChainId);

        // RevokeAll ends both live chains and every session issued until then; the list is empty.
        time.Advance(TimeSpan.FromSeconds(1));
        await a.Lifecycle.RevokeSubjectAsync(User);
        Assert.Equal(0, await ListLengthAsync(a, User));
        await b.Store.SynchronizeAsync();
        foreach (var live in new[] { kept, another })
        {
            Assert.Equal(SessionFailureReason.Revoked, await b.ValidateAsync(live.Session.Token));
            Assert.Equal(RefreshTokenRotationStatus.Revoked, (await b.Lifecycle.RefreshAsync(live.RefreshToken)).Status);
        }

        Assert.Empty(await a.Lifecycle.ListSessionsAsync(User));
        time.Advance(TimeSpan.FromSeconds(1));
        var after = await b.Lifecycle.IssueWithRefreshTokenAsync(User);
        Assert.Equal(SessionFailureReason.None, await a.ValidateAsync(after.Session.Token));
        Assert.Equal(1, await ListLengthAsync(a, User));
    }

    [Fact]
    public async Task A_full_shard_is_refused_with_what_the_shard_holds_and_the_settings_total_not_a_total_the_store_does_not_hold()
    {
        // MaxRevocations and MaxChains are split between the shards: a refusal comes when one shard is full, when the
        // store as a whole may hold far fewer than the setting's total.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), time, storeOptions: o =>
        {
            o.MaxRevocations = 2 * RedisKeys.ShardCount;
            o.MaxChains = 2 * RedisKeys.ShardCount;
        });
        var users = Enumerable.Range(0, 1000).Select(i => $"user-{i}").Where(u => RedisKeys.ShardOfSubject(u) == RedisKeys.ShardOfSubject("user-0")).Take(3).ToArray();
        var sessions = Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid().ToString("D")).Where(s => RedisKeys.ShardOfSubject(s) == RedisKeys.ShardOfSubject("user-0")).Take(3).ToArray();

        await instance.Lifecycle.RevokeSubjectAsync(users[0]);
        await instance.Lifecycle.RevokeSubjectAsync(users[1]);
        var user = await Assert.ThrowsAsync<SessionStoreLimitException>(() => instance.Lifecycle.RevokeSubjectAsync(users[2]));
        var session = await Assert.ThrowsAsync<SessionStoreLimitException>(() => instance.Lifecycle.RevokeSessionAsync(sessions[0]));
        await instance.Store.CreateChainAsync(NewChain(users[0]), NewToken("a"));
        await instance.Store.CreateChainAsync(NewChain(users[1]), NewToken("b"));
        var chains = await Assert.ThrowsAsync<SessionStoreLimitException>(() => instance.Store.CreateChainAsync(NewChain(users[2]), NewToken("c")));

        Assert.Equal(
            "The session store refused the write: this user's shard of the store is full: it holds 2 revocations, the most each of its 16 shards may hold (Sessions:Store:MaxRevocations = 32 is split between them), and the store knows no session of this user; retry once older revocations have expired.",
            user.Message);
        Assert.Equal(
            "The session store refused the write: this session's shard of the store is full: it holds 2 revocations, the most each of its 16 shards may hold (Sessions:Store:MaxRevocations = 32 is split between them), and the store knows nothing of this session; revoke it by its token instead, or retry once older revocations have expired.",
            session.Message);
        Assert.Equal(
            "The session store refused the write: this user's shard of the store is full: it holds 2 refresh chains, the most each of its 16 shards may hold (Sessions:Store:MaxChains = 32 is split between them); retry once older chains have expired.",
            chains.Message);
        Assert.All(new[] { user, session, chains }, e => Assert.DoesNotContain("store holds 32", e.Message, StringComparison.Ordinal));

        RefreshChainRecord NewChain(string subject) => new(NewChainId(subject), subject, time.GetUtcNow(), time.GetUtcNow().AddDays(30));

        RefreshTokenRecord NewToken(string hash) =>
            new(hash, Guid.NewGuid().ToString("D"), time.GetUtcNow().AddMinutes(15), time.GetUtcNow(), time.GetUtcNow().AddHours(1));
    }

    private static string NewChainId(string subject) => RefreshChainRecord.SubjectTag(subject) + Guid.NewGuid().ToString("N")[..24];

    private static Task<long> ListLengthAsync(Instance instance, string user) =>
        instance.Store.Connection!.GetDatabase().SortedSetLengthAsync(instance.Store.Keys.SubjectChains(user));
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Sessions.Lifecycle.Tests;

/// <summary>The in-memory store follows a reload of its options, the purge's interval included.</summary>
public sealed class InMemorySessionStoreTests
{
    [Fact]
    public async Task A_reloaded_purge_interval_applies_from_the_next_purge()
    {
        var clock = TestTokens.Clock();
        var options = new ChangingOptions(new SessionStoreOptions { PurgeInterval = TimeSpan.FromMinutes(1) });
        using var store = new InMemorySessionStore(options, clock, NullLogger<InMemorySessionStore>.Instance);
        await store.RevokeSubjectAsync("first", clock.GetUtcNow(), clock.GetUtcNow().AddSeconds(30));

        options.Set(new SessionStoreOptions { PurgeInterval = TimeSpan.FromMinutes(10) });
        clock.Advance(TimeSpan.FromSeconds(61));   // the purge planned with the old interval

        Assert.Equal(0, store.RevocationCount);
        await store.RevokeSubjectAsync("second", clock.GetUtcNow(), clock.GetUtcNow().AddSeconds(30));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, store.RevocationCount);   // every minute, it would have gone at the second minute
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, store.RevocationCount);
    }

    [Fact]
    public async Task A_chain_that_stopped_refreshing_frees_its_slot_of_MaxChains_once_nothing_it_issued_can_be_accepted()
    {
        // Before, every chain counted until its absolute end (30 days by default), revoked or abandoned: a store full of
        // chains that could issue nothing refused every sign-in with a refresh token for up to a month.
        var clock = TestTokens.Clock();
        using var store = new InMemorySessionStore(new SessionStoreOptions { MaxChains = 1, PurgeInterval = TimeSpan.FromMinutes(1) }, clock);
        var t0 = clock.GetUtcNow();
        var abandoned = new RefreshChainRecord(RefreshChainRecord.SubjectTag("alice") + "000000000000000000000001", "alice", t0, t0.AddDays(30));
        await store.CreateChainAsync(abandoned, new RefreshTokenRecord("a1", Guid.NewGuid().ToString("D"), t0.AddMinutes(15), t0, t0.AddHours(1)));
        await Assert.ThrowsAsync<SessionStoreLimitException>(() => store.CreateChainAsync(
            new RefreshChainRecord(RefreshChainRecord.SubjectTag("bob") + "000000000000000000000002", "bob", t0, t0.AddDays(30)),
            new RefreshTokenRecord("b1", Guid.NewGuid().ToString("D"), t0.AddMinutes(15), t0, t0.AddHours(1))));

        // Its refresh token and its session have expired, and a purge has run: the slot is free.
        clock.Advance(TimeSpan.FromMinutes(62));
        var t1 = clock.GetUtcNow();
        await store.CreateChainAsync(
            new RefreshChainRecord(RefreshChainRecord.SubjectTag("bob") + "000000000000000000000003", "bob", t1, t1.AddDays(30)),
            new RefreshTokenRecord("b2", Guid.NewGuid().ToString("D"), t1.AddMinutes(15), t1, t1.AddHours(1)));
        Assert.Equal(1, store.ChainCount);
    }

    [Fact]
    public async Task Within_the_grace_period_the_last_used_tokens_get_their_successor_again_and_an_older_one_is_a_reuse()
    {
        // Before, every used token kept its sealed successor (about 1.4 KB here) as long as the chain: a chain refreshed
        // a thousand times within its grace periods held a thousand replies, and any of them was handed out again.
        var clock = TestTokens.Clock();
        using var store = new InMemorySessionStore(timeProvider: clock);
        var t0 = clock.GetUtcNow();
        var chain = new RefreshChainRecord(RefreshChainRecord.SubjectTag("alice") + "000000000000000000000001", "alice", t0, t0.AddDays(30));
        await store.CreateChainAsync(chain, new RefreshTokenRecord("h0", Guid.NewGuid().ToString("D"), t0.AddHours(1), t0, t0.AddDays(1)));
        for (var i = 0; i < 50; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            var now = clock.GetUtcNow();
            Assert.Equal(RefreshTokenRotationStatus.Rotated, (await store.RotateRefreshTokenAsync(new RefreshTokenRotationRequest(
                chain.ChainId, $"h{i}", new RefreshTokenRecord($"h{i + 1}", Guid.NewGuid().ToString("D"), now.AddHours(1), now, now.AddDays(1)), $"sealed-{i + 1}", now, TimeSpan.FromSeconds(10)))).Status);
        }

        var later = clock.GetUtcNow();
        RefreshTokenRotation Present(string hash) => store.RotateRefreshTokenAsync(new RefreshTokenRotationRequest(
            chain.ChainId, hash, new RefreshTokenRecord("x" + hash, Guid.NewGuid().ToString("D"), later.AddHours(1), later, later.AddDays(1)), "unused", later, TimeSpan.FromSeconds(10))).Result;
        Assert.Equal((RefreshTokenRotationStatus.RotatedWithinGracePeriod, "sealed-50"), (Present("h49").Status, Present("h49").SealedSuccessor));
        Assert.Equal((RefreshTokenRotationStatus.RotatedWithinGracePeriod, "sealed-49"), (Present("h48").Status, Present("h48").SealedSuccessor));
        Assert.Equal(RefreshTokenRotationStatus.Reused, Present("h47").Status);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, Present("h49").Status);
    }

    [Fact]
    public void Options_given_to_a_constructor_are_checked_as_the_host_checks_them_each_named_as_code_sets_it()
    {
        // Before, a store with a cap of 0 and a lifecycle with a negative lifetime were made, and failed at their
        // first call.
        var store = Assert.Throws<OptionsValidationException>(() => new InMemorySessionStore(new SessionStoreOptions { MaxChains = 0, RefreshTokenLifetime = TimeSpan.FromSeconds(-1) }));
        using var valid = new InMemorySessionStore();
        var lifecycle = Assert.Throws<OptionsValidationException>(() => new SessionLifecycle(
            new Sessions.Jwt.JwtSessionIssuer(new Sessions.Jwt.JwtSessionOptions { Secret = TestTokens.Secret }),
            new Sessions.Jwt.JwtSessionValidator(new Sessions.Jwt.JwtSessionOptions { Secret = TestTokens.Secret }),
            valid,
            new SessionStoreOptions { MaxRefreshTokensPerChain = 1 }));

        Assert.Contains("SessionStoreOptions.MaxChains", store.Message, StringComparison.Ordinal);
        Assert.Contains("SessionStoreOptions.RefreshTokenLifetime", store.Message, StringComparison.Ordinal);
        Assert.Contains("SessionStoreOptions.MaxRefreshTokensPerChain", lifecycle.Message, StringComparison.Ordinal);
    }

    private sealed class ChangingOptions(SessionStoreOptions initial) : IOptionsMonitor<SessionStoreOptions>
    {
        private Action<SessionStoreOptions, string?>? _listeners;

        public SessionStoreOptions CurrentValue { get; private set; } = initial;

        public SessionStoreOptions Get(string? name) => CurrentValue;

        public IDisposable OnChange(Action<SessionStoreOptions, string?> listener)
        {
            _listeners += listener;
            return new Unsubscribe(() => _listeners -= listener);
        }

        public void Set(SessionStoreOptions options)
        {
            CurrentValue = options;
            _listeners?.Invoke(options, Options.DefaultName);
        }

        private sealed class Unsubscribe(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }
}

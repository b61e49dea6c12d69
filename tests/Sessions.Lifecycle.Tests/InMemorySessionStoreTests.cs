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

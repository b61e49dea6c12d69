using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Sessions.Jwt.Tests;

/// <summary>The JWKS key source against a real HTTP server on 127.0.0.1.</summary>
public sealed class JwksSessionKeySourceTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _prefix;
    private volatile string _document = "{\"keys\":[]}";
    private volatile bool _down;
    private volatile int _delayMilliseconds;
    private volatile bool _hold;
    private volatile bool _truncate;
    private volatile bool _byteOrderMark;
    private volatile string? _errorReply;
    // A shared HTTP cache in front of the server: it answers with the first key set it served unless the request says
    // Cache-Control: no-cache (RFC 9111 5.2.1.4), as a CDN or caching proxy within the document's max-age does.
    private volatile bool _sharedCache;
    private volatile string? _cachedDocument;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    public JwksSessionKeySourceTests()
    {
        var port = FreePort();
        _prefix = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_prefix);
        _listener.Start();
        _ = ServeAsync();
    }

    private Uri JwksUri => new(_prefix + ".well-known/jwks.json");

    public void Dispose()
    {
        _released.TrySetResult();
        _listener.Close();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_new_key_works_on_the_first_token_that_uses_it(bool behindASharedCache)
    {
        // Behind a shared cache holding the old key set: the fetch a token with an unknown kid asks for knows the key set
        // it holds is out of date, and asks the cache for a fresh copy. Before, the cache answered with the key set it
        // stored, and the token was refused as UnknownKey for up to the document's max-age (300 s).
        _sharedCache = behindASharedCache;
        var (first, firstIssuer) = SigningRing("k1");
        Publish(first);
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), RefreshInterval = TimeSpan.FromHours(1), MinimumRefreshInterval = TimeSpan.Zero });
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);

        var firstResult = await validator.ValidateAsync(firstIssuer.Issue("u").Token);
        Assert.True(firstResult.IsValid, $"{firstResult.FailureReason} after {Volatile.Read(ref _requests)} fetches");

        var (second, secondIssuer) = SigningRing("k2");
        Publish(first, second);
        var result = await validator.ValidateAsync(secondIssuer.Issue("u").Token);

        Assert.True(result.IsValid, result.FailureReason.ToString());
        Assert.Equal(2, source.GetKeys().Keys.Count);
    }

    [Fact]
    public async Task Scheduled_fetches_let_a_shared_cache_answer()
    {
        // Only a token's unknown kid says the copy held is out of date; the schedule's fetches, every RefreshInterval from
        // every validator, are what a shared cache in front of the JWKS is there to absorb.
        _sharedCache = true;
        var (first, _) = SigningRing("k1");
        Publish(first);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero }, clock);
        await UntilAsync(() => source.GetKeys().Keys.Count == 1);

        var (second, _) = SigningRing("k2");
        Publish(first, second);
        for (var i = 1; i <= 3; i++)
        {
            clock.Advance(new JwksSessionKeySourceOptions().RefreshInterval);
            await UntilAsync(() => Volatile.Read(ref _requests) > i && source.LastRefreshed == clock.GetUtcNow());
        }

        Assert.Single(source.GetKeys().Keys);
    }

    [Fact]
    public async Task A_fetch_that_ends_as_a_follow_up_is_asked_for_does_not_stop_later_refreshes()
    {
        // Before, when the fetch under way ended between RefreshAsync seeing it running and its follow-up awaiting it,
        // the follow-up ran on inline, cleared _followUp before it had been set, and was then stored as the follow-up
        // for good: every later RefreshAsync returned that finished task without fetching, so a key published later
        // was refused as UnknownKey until the schedule's next fetch (an hour here). The test makes the first fetch end
        // at that point every time: the clock RefreshAsync reads there answers the fetch and waits until it has ended.
        var (first, firstIssuer) = SigningRing("k1");
        Publish(first);
        var firstResponse = new TaskCompletionSource<HttpResponseMessage>();
        var clock = new HookedClock();
        using var source = new JwksSessionKeySource(
            new HttpClient(new FirstAnsweredBy(firstResponse.Task) { InnerHandler = new HttpClientHandler() }),
            new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), RefreshInterval = TimeSpan.FromHours(1), MinimumRefreshInterval = TimeSpan.Zero },
            clock);
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);
        var fetching = (Task<bool>)typeof(JwksSessionKeySource).GetField("_inFlight", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(source)!;
        var endedInside = false;
        clock.Once = () =>
        {
            // The fetch ends on another thread (it needs nothing this one holds); this one waits for it, bounded.
            firstResponse.SetResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(_document, Encoding.UTF8, "application/json") });
            endedInside = SpinWait.SpinUntil(() => fetching.IsCompleted, TimeSpan.FromSeconds(30));
        };

        var firstResult = await validator.ValidateAsync(firstIssuer.Issue("u").Token);
        Assert.True(endedInside, "the first fetch did not end where the test puts it");
        Assert.True(firstResult.IsValid, firstResult.FailureReason.ToString());

        var (second, secondIssuer) = SigningRing("k2");
        Publish(first, second);
        var result = await validator.ValidateAsync(secondIssuer.Issue("u").Token);

        Assert.True(result.IsValid, result.FailureReason.ToString());
        Assert.Equal(2, source.GetKeys().Keys.Count);
    }

    /// <summary>The system clock, which runs <see cref="Once"/> the next time a timestamp is read.</summary>
    private sealed class HookedClock : TimeProvider
    {
        private Action? _once;

        public Action? Once
        {
            set => Volatile.Write(ref _once, value);
        }

        public override long GetTimestamp()
        {
            Interlocked.Exchange(ref _once, null)?.Invoke();
            return base.GetTimestamp();
        }
    }

    /// <summary>Answers the first request with <paramref name="response"/> when it completes; the others go to the server.</summary>
    private sealed class FirstAnsweredBy(Task<HttpResponseMessage> response) : DelegatingHandler
    {
        private int _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _requests) == 1 ? response : base.SendAsync(request, cancellationToken);
    }

    [Theory]
    [InlineData("built from options")]
    [InlineData("built from an options monitor")]
    public async Task Keys_that_change_while_the_validator_subscribes_are_used_by_its_first_validation(string construction)
    {
        // The cause of A_new_key_works_on_the_first_token_that_uses_it failing now and then: the validator read the
        // source's keys, then subscribed to KeysChanged. The constructor's first JWKS fetch, ending on another thread in
        // between, raised its event before anyone listened, and the validator kept the empty key set; the refresh that
        // the unknown kid asks for found the same document, so no event came, and the token was refused as UnknownKey.
        // The source below makes that interleaving happen every time: its keys change as the handler is being added.
        var (ring, issuer) = SigningRing("k1");
        var source = new ChangesAsSubscribed(new SessionKeySet([], null), ring);
        await using var services = new ServiceCollection().AddOptions().BuildServiceProvider();
        using var validator = construction == "built from options"
            ? new JwtSessionValidator(new JwtSessionOptions(), source)
            : new JwtSessionValidator(services.GetRequiredService<IOptionsMonitor<JwtSessionOptions>>(), source, TimeProvider.System);

        var result = await validator.ValidateAsync(issuer.Issue("u").Token);

        Assert.True(result.IsValid, result.FailureReason.ToString());
    }

    /// <summary>
    /// A key source whose keys change, and say so, just before a handler is added to <see cref="KeysChanged"/>: a fetch
    /// that ends between a reader's <see cref="GetKeys"/> and its subscription. Its refresh finds nothing new, as a JWKS
    /// source fetching the same document again.
    /// </summary>
    private sealed class ChangesAsSubscribed(SessionKeySet before, SessionKeySet after) : ISessionKeySource
    {
        private SessionKeySet _keys = before;
        private EventHandler? _changed;

        public event EventHandler? KeysChanged
        {
            add
            {
                if (!ReferenceEquals(Interlocked.Exchange(ref _keys, after), after))
                {
                    _changed?.Invoke(this, EventArgs.Empty);
                }

                _changed += value;
            }
            remove => _changed -= value;
        }

        public SessionKeySet GetKeys() => Volatile.Read(ref _keys);

        public ValueTask<bool> RefreshAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "JwksSessionKeySourceOptions.JwksUri 'file:///etc/passwd' is not an absolute http:// or https:// address")]
    [InlineData("ftp://sessions/jwks.json", "JwksSessionKeySourceOptions.JwksUri 'ftp://sessions/jwks.json' is not an absolute http:// or https:// address")]
    [InlineData("/.well-known/jwks.json", "JwksSessionKeySourceOptions.JwksUri '/.well-known/jwks.json' is not an absolute http:// or https:// address")]
    [InlineData("ftp://reader:pa55word@sessions/jwks.json", "JwksSessionKeySourceOptions.JwksUri 'ftp://sessions/jwks.json' is not an absolute http:// or https:// address")]
    public async Task An_address_the_client_cannot_fetch_is_refused_when_the_host_starts_naming_the_setting(string address, string expected)
    {
        // Before, only IsAbsoluteUri was checked: file: and ftp: passed, every fetch threw NotSupportedException, and
        // ValidateAsync threw with it for a token whose kid was unknown.
        await using var provider = new ServiceCollection()
            .AddJwtSessionValidation(keys => keys.JwksUri = new Uri(address, UriKind.RelativeOrAbsolute))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<JwksSessionKeySourceOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        var direct = Assert.Throws<ArgumentException>(() => new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = new Uri(address, UriKind.RelativeOrAbsolute) }));
        Assert.Contains(expected, direct.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_gives_the_JWKS_fetch_its_own_handler_through_the_named_client()
    {
        // A proxy or a client certificate is set the same way: the fetch's client comes from IHttpClientFactory.
        var (ring, issuer) = SigningRing("k1");
        Publish(ring);
        var through = new CountingHandler();
        var services = new ServiceCollection().AddJwtSessionValidation(keys => keys.JwksUri = JwksUri);
        services.AddHttpClient(JwksSessionKeySource.HttpClientName).AddHttpMessageHandler(() => through);
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<ISessionValidator>().ValidateAsync(issuer.Issue("u").Token);

        Assert.True(result.IsValid, result.FailureReason.ToString());
        Assert.True(through.Requests >= 1, "the key set was not fetched through the host's handler");
    }

    [Fact]
    public async Task The_fetch_is_bounded_by_FetchTimeout_alone_not_by_the_clients_own_timeout()
    {
        // FetchTimeout may be set up to 5 minutes; HttpClient's default of 100 s would otherwise cancel the fetch first,
        // logged as a cancellation rather than as the timeout the operator set.
        var services = new ServiceCollection().AddJwtSessionValidation(keys =>
        {
            keys.JwksUri = JwksUri;
            keys.FetchTimeout = TimeSpan.FromMinutes(3);
        });
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(JwksSessionKeySource.HttpClientName);

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public void Each_out_of_range_setting_is_named_in_its_own_sentence()
    {
        var error = Assert.Throws<ArgumentException>(() => new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions
        {
            JwksUri = JwksUri,
            RefreshInterval = TimeSpan.FromMilliseconds(10),
            MinimumRefreshInterval = TimeSpan.FromSeconds(-1),
            FetchTimeout = TimeSpan.Zero,
            MaxDocumentBytes = 0,
        }));

        Assert.Contains("JwksSessionKeySourceOptions.RefreshInterval is 00:00:00.0100000; it must be at least 1 second", error.Message, StringComparison.Ordinal);
        Assert.Contains("JwksSessionKeySourceOptions.MinimumRefreshInterval is -00:00:01; it must not be negative", error.Message, StringComparison.Ordinal);
        Assert.Contains("JwksSessionKeySourceOptions.FetchTimeout is 00:00:00; it must be more than 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("JwksSessionKeySourceOptions.MaxDocumentBytes is 0; it must be between 1024 and", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_good_keys_stay_in_use_when_the_server_is_down()
    {
        var (ring, issuer) = SigningRing("k1");
        Publish(ring);
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero });
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);
        Assert.True((await validator.ValidateAsync(issuer.Issue("u").Token)).IsValid);

        _down = true;
        Assert.False(await source.RefreshAsync());
        Assert.True((await validator.ValidateAsync(issuer.Issue("u").Token)).IsValid);

        // A key the validator does not know may exist at a server it cannot reach: retry, not log out.
        var (_, stranger) = SigningRing("unknown");
        Assert.True(source.LastFetchFailed);
        Assert.Equal(SessionFailureReason.Unavailable, (await validator.ValidateAsync(stranger.Issue("u").Token)).FailureReason);

        _down = false;
        Assert.Equal(SessionFailureReason.UnknownKey, (await validator.ValidateAsync(stranger.Issue("u").Token)).FailureReason);
        Assert.False(source.LastFetchFailed);
    }

    [Fact]
    public async Task An_address_that_was_never_reached_makes_every_token_Unavailable_not_UnknownKey()
    {
        var closed = new Uri($"http://127.0.0.1:{FreePort()}/.well-known/jwks.json");
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = closed, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero });
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);
        var (_, issuer) = SigningRing("k1");

        Assert.Equal(SessionFailureReason.Unavailable, (await validator.ValidateAsync(issuer.Issue("u").Token)).FailureReason);
        Assert.Null(source.LastRefreshed);
    }

    [Fact]
    public async Task A_failed_fetch_before_any_success_says_no_keys_were_ever_fetched()
    {
        // Before, it said "the last 0 good keys stay in use": there were none, and every session is refused meanwhile.
        var closed = new Uri($"http://127.0.0.1:{FreePort()}/.well-known/jwks.json");
        var logger = new CollectingLogger();
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = closed, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger);

        await source.RefreshAsync();

        Assert.All(logger.Entries, e => Assert.DoesNotContain("good keys stay in use", e.Message, StringComparison.Ordinal));
        // One line per failed fetch: the one the constructor starts, and this one.
        Assert.Equal(2, logger.Entries.Count);
        Assert.All(logger.Entries, e =>
        {
            Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, e.Level);
            Assert.Contains("no key has been fetched yet", e.Message, StringComparison.Ordinal);
            Assert.Contains(closed.ToString(), e.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_log_names_the_JWKS_address_without_the_credentials_or_query_it_was_given_with()
    {
        // Before, every line (fetched, failed, never fetched) held the address as configured, password and query included;
        // the health check already named it without them.
        var (ring, _) = SigningRing("k1");
        Publish(ring);
        var withSecrets = new UriBuilder(JwksUri) { UserName = "reader", Password = "pa55word", Query = "api_key=k3y" }.Uri;
        var logger = new CollectingLogger();
        using (var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = withSecrets, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger))
        {
            Assert.True(await source.RefreshAsync());
            _down = true;
            Assert.False(await source.RefreshAsync());
        }

        var closed = new UriBuilder($"http://127.0.0.1:{FreePort()}/.well-known/jwks.json") { UserName = "reader", Password = "pa55word", Query = "api_key=k3y" }.Uri;
        using (var never = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = closed, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger))
        {
            Assert.False(await never.RefreshAsync());
        }

        Assert.Contains(logger.Entries, e => e.Message.StartsWith("Fetched ", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Message.Contains("the last 1 good keys stay in use", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Message.Contains("no key has been fetched yet", StringComparison.Ordinal));
        Assert.All(logger.Entries, e =>
        {
            Assert.DoesNotContain("pa55word", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("k3y", e.Message, StringComparison.Ordinal);
            Assert.Contains("http://127.0.0.1:", e.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("{\"error\":\"upstream timeout\"}", "it has no 'keys' member")]
    [InlineData("{}", "it has no 'keys' member")]
    [InlineData("{\"foo\":1}", "it has no 'keys' member")]
    [InlineData("{\"keys\":\"x\"}", "its 'keys' is a JSON string, not an array")]
    [InlineData("[]", "it is a JSON array, not an object")]
    [InlineData("<html>upstream timeout</html>", "it is not valid JSON (line 1, byte 1)")]
    [InlineData("{\"keys\":[]}", "it holds no usable key (none published)")]
    [InlineData("{\"keys\":[{\"kty\":\"EC\",\"kid\":\"noalg\",\"crv\":\"P-256\",\"x\":\"x\",\"y\":\"y\"}]}", "it holds no usable key (1 published, skipped as logged)")]
    public async Task A_reply_without_a_usable_key_is_a_failed_fetch_and_the_last_good_keys_stay_in_use(string document, string named)
    {
        // Before, an HTTP 200 whose body held no key (a gateway's error answered as JSON, an empty set, keys that are
        // all skipped) replaced the keys with an empty set: every session was refused as an unknown key, and health
        // went Unhealthy, although the keys fetched before were still good.
        var (ring, issuer) = SigningRing("k1");
        Publish(ring);
        var logger = new CollectingLogger();
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), RefreshInterval = TimeSpan.FromHours(1), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger);
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);
        Assert.True((await validator.ValidateAsync(issuer.Issue("u").Token)).IsValid);

        _document = document;
        Assert.False(await source.RefreshAsync());

        Assert.True(source.LastFetchFailed);
        Assert.Equal(["k1"], source.GetKeys().Keys.Select(k => k.Id));
        Assert.True((await validator.ValidateAsync(issuer.Issue("u").Token)).IsValid);
        var warning = Assert.Single(logger.Entries, e => e.Message.StartsWith("Could not fetch", StringComparison.Ordinal)).Message;
        Assert.Contains(JwksUri.ToString(), warning, StringComparison.Ordinal);
        Assert.Contains(named, warning, StringComparison.Ordinal);
        Assert.Contains("the last 1 good keys stay in use", warning, StringComparison.Ordinal);
        var health = await new Sessions.Jwt.Internal.Health.JwksHealthCheck(source).CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, health.Status);
        Assert.Contains(named, health.Description, StringComparison.Ordinal);

        // A key the validator does not know may be in the key set it could not use: retry, not log out.
        var (_, stranger) = SigningRing("k2");
        Assert.Equal(SessionFailureReason.Unavailable, (await validator.ValidateAsync(stranger.Issue("u").Token)).FailureReason);
    }

    [Fact]
    public async Task An_empty_key_set_is_a_warning_that_names_JWT_ALGORITHM()
    {
        Publish();
        var logger = new CollectingLogger();
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger);

        await source.RefreshAsync();

        // One warning per fetch (the constructor's and this one): a key set without a usable key is a failed fetch.
        Assert.NotEmpty(logger.Entries);
        Assert.All(logger.Entries, e =>
        {
            Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, e.Level);
            Assert.Contains("no usable key", e.Message, StringComparison.Ordinal);
            Assert.Contains("JWT_ALGORITHM=ES256", e.Message, StringComparison.Ordinal);
        });
        Assert.True(source.LastFetchFailed);
        Assert.Null(source.LastRefreshed);
    }

    private sealed class CollectingLogger : Microsoft.Extensions.Logging.ILogger<JwksSessionKeySource>
    {
        public List<(Microsoft.Extensions.Logging.LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }

    [Fact]
    public async Task Unknown_kids_refresh_at_most_once_per_minimum_interval()
    {
        var (ring, _) = SigningRing("k1");
        Publish(ring);
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), RefreshInterval = TimeSpan.FromHours(1), MinimumRefreshInterval = TimeSpan.FromHours(1) });
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);
        var (_, stranger) = SigningRing("forged");
        await source.RefreshAsync();
        var before = Volatile.Read(ref _requests);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(SessionFailureReason.UnknownKey, (await validator.ValidateAsync(stranger.Issue("u").Token)).FailureReason);
        }

        Assert.Equal(before, Volatile.Read(ref _requests));
    }

    [Fact]
    public async Task A_flood_of_unknown_kids_during_a_fetch_asks_for_one_fetch_more_not_one_after_another()
    {
        // Before, every caller arriving during a fetch queued a follow-up fetch, unthrottled: a steady flood of forged
        // kids that began during any fetch (the first, or a scheduled one) kept the session server fetched back to back.
        var (ring, _) = SigningRing("k1");
        Publish(ring);
        _delayMilliseconds = 100;
        var (_, stranger) = SigningRing("forged");
        var forged = stranger.Issue("u").Token;
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), RefreshInterval = TimeSpan.FromHours(1), MinimumRefreshInterval = TimeSpan.FromHours(1) });
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);

        // Requests arrive as they would at a server, each on its own, not waiting for the ones before: 300 over about
        // 1.5 s, while each fetch takes 100 ms.
        var validations = new List<Task<SessionValidationResult>>();
        for (var i = 0; i < 300; i++)
        {
            validations.Add(validator.ValidateAsync(forged).AsTask());
            await Task.Delay(5);
        }

        foreach (var result in await Task.WhenAll(validations))
        {
            Assert.True(result.FailureReason is SessionFailureReason.UnknownKey or SessionFailureReason.Unavailable, result.FailureReason.ToString());
        }

        // The first fetch, and the one fetch more that the forged kids may ask for within MinimumRefreshInterval.
        Assert.InRange(Volatile.Read(ref _requests), 1, 2);
        Assert.Single(source.GetKeys().Keys);
    }

    [Fact]
    public async Task Published_symmetric_keys_and_keys_without_alg_are_ignored()
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _document = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"hs\",\"alg\":\"HS256\",\"k\":\"" + secret + "\"},{\"kty\":\"EC\",\"kid\":\"noalg\",\"crv\":\"P-256\",\"x\":\"x\",\"y\":\"y\"}]}";
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero });
        await source.RefreshAsync();
        Assert.Empty(source.GetKeys().Keys);
    }

    [Fact]
    public async Task A_published_key_with_its_private_part_is_refused_and_logged_as_an_error()
    {
        // Before, only the public part was read and the key was used: whoever could read the JWKS could sign sessions
        // that every validator accepted, and nothing said so. A published private key is compromised, as a published
        // HS256 secret is, and is refused the same way.
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(includePrivateParameters: true);
        var d = Base64Url(p.D!);
        var jwk = "{\"kty\":\"EC\",\"use\":\"sig\",\"alg\":\"ES256\",\"kid\":\"leaked\",\"crv\":\"P-256\",\"x\":\"" + Base64Url(p.Q.X!) +
            "\",\"y\":\"" + Base64Url(p.Q.Y!) + "\",\"d\":\"" + d + "\"}";
        var (ring, issuer) = SigningRing("k1");
        var published = JsonWebKeySetSerializer.Serialize(ring);
        _document = published.Insert(published.IndexOf('[', StringComparison.Ordinal) + 1, jwk + ",");
        var forgerOptions = new JwtSessionOptions();
        forgerOptions.Keys.Add(new JwtSessionKeyOptions { Id = "leaked", Algorithm = "ES256", Jwk = jwk });
        var forger = new JwtSessionIssuer(forgerOptions, new OptionsSessionKeySource(forgerOptions));
        var logger = new CollectingLogger();
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger);
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);

        await source.RefreshAsync();

        Assert.Equal(SessionFailureReason.UnknownKey, (await validator.ValidateAsync(forger.Issue("u").Token)).FailureReason);
        Assert.True((await validator.ValidateAsync(issuer.Issue("u").Token)).IsValid);
        Assert.Equal(["k1"], source.GetKeys().Keys.Select(k => k.Id));
        var error = Assert.Single(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Contains("'leaked'", error.Message, StringComparison.Ordinal);
        Assert.Contains("private", error.Message, StringComparison.Ordinal);
        Assert.All(logger.Entries, e => Assert.DoesNotContain(d, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_skipped_key_is_logged_with_the_reason_that_applies_to_it()
    {
        // Before, every skipped key got the same line, "it lacks kid or alg, is not for signatures, or does not fit its
        // algorithm", also for a 1024-bit RSA key, a P-384 key and a second key with a kid already taken: none of which
        // that line names, so the operator of the session server was not told what to change.
        using var rsa = RSA.Create(1024);
        var n = rsa.ExportParameters(false);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var q = p384.ExportParameters(false).Q;
        var (ring, _) = SigningRing("k1");
        var published = JsonWebKeySetSerializer.Serialize(ring);
        var k1 = published[(published.IndexOf('[', StringComparison.Ordinal) + 1)..published.LastIndexOf(']')];
        _document = "{\"keys\":[" + k1 + "," + k1 +
            ",{\"kty\":\"RSA\",\"alg\":\"RS256\",\"kid\":\"weak\",\"n\":\"" + Base64Url(n.Modulus!) + "\",\"e\":\"" + Base64Url(n.Exponent!) + "\"}" +
            ",{\"kty\":\"EC\",\"alg\":\"ES256\",\"kid\":\"p384\",\"crv\":\"P-384\",\"x\":\"" + Base64Url(q.X!) + "\",\"y\":\"" + Base64Url(q.Y!) + "\"}" +
            ",{\"kty\":\"EC\",\"alg\":\"ES256\",\"kid\":\"enc\",\"use\":\"enc\",\"crv\":\"P-256\",\"x\":\"x\",\"y\":\"y\"}]}";
        var logger = new CollectingLogger();
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger);

        await source.RefreshAsync();

        Assert.Equal(["k1"], source.GetKeys().Keys.Select(k => k.Id));
        string Line(string kid) => Assert.Single(logger.Entries, e => e.Message.StartsWith($"Skipped published key '{kid}'", StringComparison.Ordinal)).Message;
        Assert.Contains("2048 bits", Line("weak"), StringComparison.Ordinal);
        Assert.Contains("P-256", Line("p384"), StringComparison.Ordinal);
        Assert.Contains("'use' is 'enc'", Line("enc"), StringComparison.Ordinal);
        Assert.Contains("published more than once", Line("k1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_cannot_be_read_does_not_take_the_kid_of_a_good_key_published_after_it()
    {
        // Before, the kid was claimed before the key's values were read: a broken key (bad base64url, here) published
        // first under the kid of a good one was skipped for its values, and the good one was then skipped as a second
        // key with that kid, so tokens of a key the session server published correctly were refused.
        var (ring, issuer) = SigningRing("rs-b");
        var good = OnlyKey(ring);
        var broken = good.Replace("\"x\":\"", "\"x\":\"!!", StringComparison.Ordinal);
        _document = "{\"keys\":[" + broken + "," + good + "]}";
        var logger = new CollectingLogger();
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger);
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);

        await source.RefreshAsync();

        Assert.Equal(["rs-b"], source.GetKeys().Keys.Select(k => k.Id));
        Assert.True((await validator.ValidateAsync(issuer.Issue("u").Token)).IsValid);
        Assert.All(logger.Entries.Where(e => e.Message.StartsWith("Skipped", StringComparison.Ordinal)), e => Assert.Contains("not a valid ES256 public key", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_different_keys_under_one_kid_are_both_refused()
    {
        // A token names its key by kid alone: with two keys under it, which one the token was meant for is not known
        // (RFC 7517, section 4.5, has kids distinct within a set). Before, the first was used and the second ignored.
        var (first, firstIssuer) = SigningRing("same");
        var (second, secondIssuer) = SigningRing("same");
        var (other, otherIssuer) = SigningRing("other");
        _document = "{\"keys\":[" + OnlyKey(first) + "," + OnlyKey(other) + "," + OnlyKey(second) + "]}";
        var logger = new CollectingLogger();
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger);
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);

        await source.RefreshAsync();

        Assert.Equal(["other"], source.GetKeys().Keys.Select(k => k.Id));
        Assert.True((await validator.ValidateAsync(otherIssuer.Issue("u").Token)).IsValid);
        Assert.Equal(SessionFailureReason.UnknownKey, (await validator.ValidateAsync(firstIssuer.Issue("u").Token)).FailureReason);
        Assert.Equal(SessionFailureReason.UnknownKey, (await validator.ValidateAsync(secondIssuer.Issue("u").Token)).FailureReason);
        var skipped = logger.Entries.Where(e => e.Message.StartsWith("Skipped published key 'same'", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(skipped);
        Assert.All(skipped, e => Assert.Contains("published for another key too", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_whose_private_part_is_published_is_refused_under_its_kid_even_in_a_public_only_copy()
    {
        // Only a usable key claims its kid; a leaked one must not leave its kid to a public copy of itself.
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(includePrivateParameters: true);
        var publicPart = "\"kty\":\"EC\",\"alg\":\"ES256\",\"kid\":\"leaked\",\"crv\":\"P-256\",\"x\":\"" + Base64Url(p.Q.X!) + "\",\"y\":\"" + Base64Url(p.Q.Y!) + "\"";
        var (ring, _) = SigningRing("k1");
        _document = "{\"keys\":[{" + publicPart + ",\"d\":\"" + Base64Url(p.D!) + "\"},{" + publicPart + "}," + OnlyKey(ring) + "]}";
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero });

        await source.RefreshAsync();

        Assert.Equal(["k1"], source.GetKeys().Keys.Select(k => k.Id));
    }

    [Theory]
    [InlineData("\"key_ops\":[\"encrypt\"]", "'key_ops' does not include 'verify'")]
    [InlineData("\"key_ops\":[]", "'key_ops' does not include 'verify'")]
    [InlineData("\"key_ops\":[\"verify\",\"verify\"]", "'key_ops' names 'verify' more than once")]
    [InlineData("\"use\":\"sig\",\"key_ops\":[\"verify\",\"encrypt\"]", "'use' is 'sig' but 'key_ops' also names 'encrypt'")]
    [InlineData("\"key_ops\":\"verify\"", "a member does not have the JSON type")]
    [InlineData("\"use\":\"sig\"", null)]
    [InlineData("\"key_ops\":[\"verify\"]", null)]
    [InlineData("\"key_ops\":[\"sign\",\"verify\"]", null)]
    [InlineData("\"use\":\"sig\",\"key_ops\":[\"verify\"]", null)]
    public async Task A_key_whose_key_ops_do_not_permit_verify_is_skipped(string members, string? skipped)
    {
        // RFC 7517, section 4.3: a key with 'key_ops' may be used only for the operations it names, and 'use' and
        // 'key_ops' must agree. Before, 'key_ops' was not read: a key published for encryption only was trusted to
        // verify sessions, while the same key with "use":"enc" was skipped.
        var (ring, _) = SigningRing("k1");
        var (candidate, candidateIssuer) = SigningRing("ops");
        _document = "{\"keys\":[" + OnlyKey(ring) + "," + OnlyKey(candidate).Replace("\"use\":\"sig\"", members, StringComparison.Ordinal) + "]}";
        var logger = new CollectingLogger();
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger);
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);

        await source.RefreshAsync();

        var result = await validator.ValidateAsync(candidateIssuer.Issue("u").Token);
        if (skipped is null)
        {
            Assert.True(result.IsValid, result.FailureReason.ToString());
            Assert.DoesNotContain(logger.Entries, e => e.Message.StartsWith("Skipped", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(SessionFailureReason.UnknownKey, result.FailureReason);
            Assert.Equal(["k1"], source.GetKeys().Keys.Select(k => k.Id));
            Assert.All(logger.Entries.Where(e => e.Message.StartsWith("Skipped", StringComparison.Ordinal)), e =>
            {
                Assert.StartsWith("Skipped published key 'ops' (alg ES256): ", e.Message, StringComparison.Ordinal);
                Assert.Contains(skipped, e.Message, StringComparison.Ordinal);
            });
            Assert.Contains(logger.Entries, e => e.Message.StartsWith("Skipped", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_fetch_that_times_out_is_logged_naming_FetchTimeout_and_its_value()
    {
        // Before, the warning said "TaskCanceledException: The operation was canceled.", which names neither the
        // cause nor the setting to change.
        _hold = true;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var logger = new CollectingLogger();
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(7), RefreshInterval = TimeSpan.FromHours(1) }, clock, logger);
        var fetching = InFlight(source);

        clock.Advance(TimeSpan.FromSeconds(7));
        Assert.False(await fetching.WaitAsync(TimeSpan.FromSeconds(30)));

        var warning = Assert.Single(logger.Entries);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains(JwksUri.ToString(), warning.Message, StringComparison.Ordinal);
        Assert.Contains("did not answer within JwksSessionKeySourceOptions.FetchTimeout (00:00:07)", warning.Message, StringComparison.Ordinal);
        Assert.True(source.LastFetchFailed);
        var health = await new Sessions.Jwt.Internal.Health.JwksHealthCheck(source).CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        Assert.Contains("FetchTimeout (00:00:07)", health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fetch_under_way_when_the_source_is_disposed_ends_without_a_warning()
    {
        // The host stopping disposes the source: its fetch is not the session server's failure, nor a timeout. Before,
        // it ran on until FetchTimeout and was then logged as a failed fetch.
        _hold = true;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var logger = new CollectingLogger();
        var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(7), RefreshInterval = TimeSpan.FromHours(1) }, clock, logger);
        var fetching = InFlight(source);

        source.Dispose();
        Assert.False(await fetching.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Empty(logger.Entries);
        Assert.False(source.LastFetchFailed);
        Assert.False(await source.RefreshAsync());
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task A_connection_dropped_in_the_middle_of_the_key_set_is_a_failed_fetch_not_an_exception()
    {
        // Before, the IOException of a reply cut short escaped the fetch: ValidateAsync threw it for a token with an
        // unknown kid, and LastFetchFailed stayed false.
        var (ring, issuer) = SigningRing("k1");
        Publish(ring);
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), RefreshInterval = TimeSpan.FromHours(1), MinimumRefreshInterval = TimeSpan.Zero });
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);
        Assert.True((await validator.ValidateAsync(issuer.Issue("u").Token)).IsValid);

        _truncate = true;
        var (_, stranger) = SigningRing("k2");
        Assert.Equal(SessionFailureReason.Unavailable, (await validator.ValidateAsync(stranger.Issue("u").Token)).FailureReason);

        Assert.True(source.LastFetchFailed);
        Assert.True((await validator.ValidateAsync(issuer.Issue("u").Token)).IsValid);
    }

    [Theory]
    [InlineData("https to a plain HTTP port")]
    [InlineData("connection closed before the reply")]
    public async Task A_failed_fetch_names_the_cause_the_HTTP_client_gives_as_an_inner_exception(string failure)
    {
        // Before, the warning held the outer message alone: "The SSL connection could not be established, see inner
        // exception." or "An error occurred while sending the request.", with no inner exception anywhere in it, so the
        // cause (TLS spoken to a plain HTTP port, a certificate not trusted, a connection reset) was not named.
        using var closing = new TcpListener(IPAddress.Loopback, 0);
        Uri address;
        if (failure.StartsWith("https", StringComparison.Ordinal))
        {
            address = new UriBuilder(JwksUri) { Scheme = Uri.UriSchemeHttps }.Uri;
        }
        else
        {
            // Reads the request and closes the connection without a reply: a server that crashed, or a proxy that reset it.
            closing.Start();
            address = new Uri($"http://127.0.0.1:{((IPEndPoint)closing.LocalEndpoint).Port}/.well-known/jwks.json");
            _ = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        using var connection = await closing.AcceptTcpClientAsync();
                        _ = await connection.GetStream().ReadAsync(new byte[4096]);
                    }
                }
                catch (Exception exception) when (exception is SocketException or ObjectDisposedException or IOException)
                {
                    // Stopped with the test.
                }
            });
        }

        // What the HTTP client itself says of this fetch.
        using var probe = new HttpClient();
        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => probe.GetAsync(address));
        var cause = Assert.IsAssignableFrom<Exception>(thrown.InnerException);
        Assert.DoesNotContain(cause.Message, thrown.Message, StringComparison.Ordinal);

        var logger = new CollectingLogger();
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = address, FetchTimeout = TimeSpan.FromSeconds(60), RefreshInterval = TimeSpan.FromHours(1), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger);
        await source.RefreshAsync();

        Assert.True(source.LastFetchFailed);
        Assert.NotEmpty(logger.Entries);
        Assert.All(logger.Entries, e =>
        {
            Assert.Contains(thrown.Message, e.Message, StringComparison.Ordinal);
            Assert.Contains($"{cause.GetType().Name}: {cause.Message}", e.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("short")]
    [InlineData("long")]
    [InlineData("over a kilobyte")]
    [InlineData("no body")]
    public async Task A_failed_fetch_quotes_a_short_text_reply_on_one_line_and_only_the_status_otherwise(string reply)
    {
        // The warning quotes at most 200 characters of a text/plain error reply of at most 1 KiB, with its control
        // characters blanked, so that a gateway's page can neither flood the log nor write lines of its own.
        const string Forged = "Bad gateway\r\n2026-12-07T00:00:00Z info: forged line\u001b[31m";
        _errorReply = reply switch
        {
            "short" => Forged,
            "long" => Forged + new string('x', 300),
            "over a kilobyte" => Forged + new string('x', 2000),
            _ => null,
        };
        _down = reply == "no body";
        var logger = new CollectingLogger();
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, RefreshInterval = TimeSpan.FromHours(1), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger);

        Assert.False(await source.RefreshAsync());

        Assert.NotEmpty(logger.Entries);
        Assert.All(logger.Entries, entry =>
        {
            Assert.DoesNotContain('\n', entry.Message);
            Assert.DoesNotContain('\r', entry.Message);
            Assert.DoesNotContain('\u001b', entry.Message);
            switch (reply)
            {
                case "short":
                    Assert.Contains("the server answered 502 (Bad Gateway): \"Bad gateway  2026-12-07T00:00:00Z info: forged line [31m\".", entry.Message, StringComparison.Ordinal);
                    break;
                case "long":
                    var start = entry.Message.IndexOf("(Bad Gateway): \"", StringComparison.Ordinal) + "(Bad Gateway): \"".Length;
                    var end = entry.Message.IndexOf("…\".", start, StringComparison.Ordinal);
                    Assert.Equal(200, end - start);
                    Assert.Contains("xx…\".", entry.Message, StringComparison.Ordinal);
                    break;
                case "over a kilobyte":
                    Assert.Contains("the server answered 502 (Bad Gateway).", entry.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain("forged", entry.Message, StringComparison.Ordinal);
                    break;
                default:
                    Assert.Contains("the server answered 503 (Service Unavailable).", entry.Message, StringComparison.Ordinal);
                    break;
            }
        });
    }

    [Fact]
    public async Task A_key_set_served_with_a_UTF8_byte_order_mark_is_read()
    {
        // Before, a key set whose file was saved with a byte order mark and served as it is (a static host, a gateway)
        // was a failed fetch, "it is not valid JSON (line 1, byte 1)", although RFC 8259 (section 8.1) lets a parser
        // ignore the mark and HttpClient's ReadAsStringAsync, which JwtBearer reads the JWKS with, does.
        var (ring, issuer) = SigningRing("k1");
        Publish(ring);
        _byteOrderMark = true;
        var logger = new CollectingLogger();
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), RefreshInterval = TimeSpan.FromHours(1), MinimumRefreshInterval = TimeSpan.Zero }, logger: logger);
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);

        Assert.True((await validator.ValidateAsync(issuer.Issue("u").Token)).IsValid);
        Assert.False(source.LastFetchFailed);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task A_token_without_kid_is_UnknownKey_at_once_and_asks_for_no_fetch()
    {
        // Before, a token without kid (an HS256 token of the shared secret a service moved away from) asked for a fetch,
        // Cache-Control: no-cache, as a new kid does, although no key set can hold a key for it (every published key
        // needs a kid); and while the session server could not be reached it was Unavailable (HTTP 503, "retry"), so
        // that clients retried a token that can never be accepted instead of signing in again.
        var (ring, issuer) = SigningRing("k1");
        Publish(ring);
        using var source = new JwksSessionKeySource(new HttpClient(), new JwksSessionKeySourceOptions { JwksUri = JwksUri, FetchTimeout = TimeSpan.FromSeconds(60), RefreshInterval = TimeSpan.FromHours(1), MinimumRefreshInterval = TimeSpan.Zero });
        using var validator = new JwtSessionValidator(new JwtSessionOptions(), source);
        Assert.True((await validator.ValidateAsync(issuer.Issue("u").Token)).IsValid);
        var withoutKid = new JwtSessionIssuer(new JwtSessionOptions { Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }).Issue("u").Token;

        var before = Volatile.Read(ref _requests);
        Assert.Equal(SessionFailureReason.UnknownKey, (await validator.ValidateAsync(withoutKid)).FailureReason);
        Assert.Equal(before, Volatile.Read(ref _requests));

        _down = true;
        Assert.False(await source.RefreshAsync());
        Assert.True(source.LastFetchFailed);
        before = Volatile.Read(ref _requests);
        Assert.Equal(SessionFailureReason.UnknownKey, (await validator.ValidateAsync(withoutKid)).FailureReason);
        Assert.Equal(before, Volatile.Read(ref _requests));

        // A token naming a kid not held still asks, and is Unavailable while the server cannot be reached.
        var (_, stranger) = SigningRing("k2");
        Assert.Equal(SessionFailureReason.Unavailable, (await validator.ValidateAsync(stranger.Issue("u").Token)).FailureReason);
        Assert.Equal(before + 1, Volatile.Read(ref _requests));
    }

    private static Task<bool> InFlight(JwksSessionKeySource source) =>
        (Task<bool>)typeof(JwksSessionKeySource).GetField("_inFlight", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(source)!;

    private static string OnlyKey(SessionKeySet ring)
    {
        var published = JsonWebKeySetSerializer.Serialize(ring);
        return published[(published.IndexOf('[', StringComparison.Ordinal) + 1)..published.LastIndexOf(']')];
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (SessionKeySet Keys, JwtSessionIssuer Issuer) SigningRing(string id)
    {
        var options = new JwtSessionOptions();
        options.Keys.Add(new JwtSessionKeyOptions { Id = id, Algorithm = "ES256", Generate = true });
        var keys = new OptionsSessionKeySource(options);
        return (keys.GetKeys(), new JwtSessionIssuer(options, keys));
    }

    private void Publish(params SessionKeySet[] sets) =>
        _document = JsonWebKeySetSerializer.Serialize(new SessionKeySet(sets.SelectMany(s => s.Keys), null));

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !condition(); await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, "Not reached within 30 s.");
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            if (_delayMilliseconds > 0)
            {
                await Task.Delay(_delayMilliseconds);
            }

            if (_hold)
            {
                // Takes the request and answers nothing until the test ends: a session server that hangs.
                await _released.Task;
            }

            if (_down)
            {
                context.Response.StatusCode = 503;
                context.Response.Close();
                continue;
            }

            if (_errorReply is { } reply)
            {
                // A proxy or gateway in front of the session server that answers with its own text.
                context.Response.StatusCode = 502;
                context.Response.ContentType = "text/plain";
                var text = Encoding.UTF8.GetBytes(reply);
                context.Response.ContentLength64 = text.Length;
                await context.Response.OutputStream.WriteAsync(text);
                context.Response.Close();
                continue;
            }

            var document = _document;
            if (_sharedCache)
            {
                var revalidate = context.Request.Headers.GetValues("Cache-Control")?.Any(static v => v.Contains("no-cache", StringComparison.OrdinalIgnoreCase)) == true;
                document = revalidate || _cachedDocument is null ? _cachedDocument = document : _cachedDocument;
            }

            var body = Encoding.UTF8.GetBytes(document);
            if (_byteOrderMark)
            {
                body = [.. Encoding.UTF8.Preamble, .. body];
            }
            context.Response.ContentType = "application/json";
            if (_truncate)
            {
                // The connection is dropped in the middle of the key set, after headers that promised more.
                context.Response.ContentLength64 = body.Length + 100;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Abort();
                continue;
            }

            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

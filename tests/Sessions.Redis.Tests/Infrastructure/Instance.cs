using Microsoft.Extensions.Logging;
using Sessions.Jwt;

namespace Sessions.Redis.Tests.Infrastructure;

/// <summary>
/// One session-server instance as the service composes it: the lifecycle over its own <see cref="RedisSessionStore"/>
/// (its own connection and local revocation set) with the JWT issuer and a validator that checks the store's set.
/// </summary>
public sealed class Instance : IAsyncDisposable
{
    public const string Secret = "redis-test-secret-that-is-at-least-32-bytes!";

    private Instance(RedisSessionStore store, SessionLifecycle lifecycle, JwtSessionValidator validator, CapturingLogger<RedisSessionStore> log)
    {
        Store = store;
        Lifecycle = lifecycle;
        Validator = validator;
        Log = log;
    }

    public RedisSessionStore Store { get; }

    public SessionLifecycle Lifecycle { get; }

    public JwtSessionValidator Validator { get; }

    public CapturingLogger<RedisSessionStore> Log { get; }

    public static async Task<Instance> StartAsync(
        string redis,
        string prefix,
        TimeProvider? time = null,
        Action<RedisSessionStoreOptions>? redisOptions = null,
        Action<SessionStoreOptions>? storeOptions = null,
        Action<JwtSessionOptions>? jwtOptions = null)
    {
        var clock = time ?? TimeProvider.System;
        var store = new SessionStoreOptions();
        storeOptions?.Invoke(store);
        var options = new RedisSessionStoreOptions { Configuration = redis, KeyPrefix = prefix };
        redisOptions?.Invoke(options);
        var log = new CapturingLogger<RedisSessionStore>();
        var redisStore = new RedisSessionStore(options, store, clock, log);
        await redisStore.StartAsync();
        var jwt = new JwtSessionOptions { Secret = Secret };
        jwtOptions?.Invoke(jwt);
        var validator = new JwtSessionValidator(jwt, null, redisStore, clock);
        var lifecycle = new SessionLifecycle(new JwtSessionIssuer(jwt, clock), validator, redisStore, store, clock);
        return new Instance(redisStore, lifecycle, validator, log);
    }

    public async Task<SessionFailureReason> ValidateAsync(string token) => (await Validator.ValidateAsync(token)).FailureReason;

    public async Task<RefreshTokenIssued> RefreshAsync(string refreshToken)
    {
        var result = await Lifecycle.RefreshAsync(refreshToken);
        Assert.True(result.Succeeded, $"Refresh ended with {result.Status}.");
        return result.Issued!;
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}

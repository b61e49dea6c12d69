using Sessions.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sessions.Redis.Tests;

/// <summary>Two session-server instances sharing the real Redis.</summary>
[Collection(SharedRedisGroup.Name)]
public sealed class CrossInstanceTests(SharedRedis redis) : IAsyncLifetime
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private readonly string _prefix = SharedRedis.NewPrefix();
    private SessionServer _a = null!;
    private SessionServer _b = null!;

    public async Task InitializeAsync()
    {
        _a = await SessionServer.StartAsync(redis.Configuration, _prefix, storeOptions: o => o.RefreshReuseGracePeriod = TimeSpan.FromMilliseconds(500));
        _b = await SessionServer.StartAsync(redis.Configuration, _prefix, storeOptions: o => o.RefreshReuseGracePeriod = TimeSpan.FromMilliseconds(500));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private static Task<TimeSpan> UntilRevokedAsync(SessionServer server, string token, TimeSpan? deadline = null) =>
        Poll.UntilAsync(async () => await server.ValidateAsync(token) == (StatusCode.InvalidArgument, "revoked"), deadline ?? OneSecond, "the other instance refuses the token as revoked");

    [Fact]
    public async Task A_session_revoked_on_one_instance_is_refused_on_the_other_within_a_second()
    {
        var created = await _a.CreateAsync();
        Assert.Equal(StatusCode.OK, (await _b.ValidateAsync(created.Token)).Code);

        await _a.Client.RevokeAsync(new RevokeSessionRequest { SessionId = created.SessionId });

        await UntilRevokedAsync(_b, created.Token);
        Assert.Equal((StatusCode.InvalidArgument, "revoked"), await _a.ValidateAsync(created.Token));
    }

    [Fact]
    public async Task RevokeAll_on_one_instance_is_refused_on_the_other_within_a_second()
    {
        var first = await _a.CreateAsync();
        var second = await _b.CreateAsync();

        await _b.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = SessionServer.UserId });

        await UntilRevokedAsync(_a, first.Token);
        await UntilRevokedAsync(_a, second.Token);
    }

    [Fact]
    public async Task Refresh_rotates_across_instances_and_reuse_revokes_the_chain_everywhere()
    {
        var created = await _a.CreateAsync(withRefreshToken: true);
        var refreshed = await _b.RefreshAsync(created.RefreshToken);
        var next = await _a.RefreshAsync(refreshed.RefreshToken);
        Assert.Equal(StatusCode.OK, (await _b.ValidateAsync(next.Token)).Code);
        await Task.Delay(TimeSpan.FromMilliseconds(600)); // past the 500 ms grace period of this test

        var reuse = await Assert.ThrowsAsync<RpcException>(() => _b.RefreshAsync(created.RefreshToken));

        Assert.Equal("refresh token was already used: its chain and sessions are revoked", reuse.Status.Detail);
        foreach (var token in new[] { created.Token, refreshed.Token, next.Token })
        {
            await UntilRevokedAsync(_a, token);
            await UntilRevokedAsync(_b, token);
        }

        var thief = await Assert.ThrowsAsync<RpcException>(() => _a.RefreshAsync(next.RefreshToken));
        Assert.Equal("refresh token is revoked", thief.Status.Detail);
    }

    [Fact]
    public async Task Parallel_refreshes_on_two_instances_inside_the_grace_period_both_succeed_and_exactly_one_rotates()
    {
        var created = await _a.CreateAsync(withRefreshToken: true);

        var replies = await Task.WhenAll(_a.RefreshAsync(created.RefreshToken), _b.RefreshAsync(created.RefreshToken));

        Assert.All(replies, r => Assert.True(r.Valid));
        Assert.NotEqual(replies[0].RefreshToken, replies[1].RefreshToken);
        Assert.Equal(StatusCode.OK, (await _a.ValidateAsync(replies[1].Token)).Code);
        Assert.Equal(StatusCode.OK, (await _b.ValidateAsync(replies[0].Token)).Code);
    }

    [Fact]
    public async Task An_instance_started_later_loads_the_revocations_already_made()
    {
        var created = await _a.CreateAsync();
        await _a.Client.RevokeAsync(new RevokeSessionRequest { Token = created.Token });
        await _a.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = "7c9e6679-7425-40de-944b-e07fc1f90ae7" });

        await using var late = await SessionServer.StartAsync(redis.Configuration, _prefix);

        Assert.Equal((StatusCode.InvalidArgument, "revoked"), await late.ValidateAsync(created.Token));
    }

    [Fact]
    public async Task Claims_given_to_Create_survive_refreshes_on_the_other_instance()
    {
        var roles = new StringList();
        roles.Values.AddRange(["admin", "dev"]);
        var request = new CreateRequest { UserId = SessionServer.UserId, WithRefreshToken = true };
        request.Claims.Add("tenant", new ClaimValue { StringValue = "acme" });
        request.Claims.Add("auth_level", new ClaimValue { IntegerValue = 2 });
        request.Claims.Add("score", new ClaimValue { NumberValue = 0.75 });
        request.Claims.Add("mfa", new ClaimValue { BoolValue = true });
        request.Claims.Add("roles", new ClaimValue { StringsValue = roles });
        var created = await _a.Client.CreateAsync(request);

        var refreshed = await _b.RefreshAsync(created.RefreshToken);
        var next = await _a.RefreshAsync(refreshed.RefreshToken);

        Assert.Equal(request.Claims, refreshed.Claims);
        Assert.Equal(request.Claims, next.Claims);
        Assert.Equal(request.Claims, (await _b.Client.ValidateAsync(new ValidateTokenRequest { Token = refreshed.Token })).Claims);
        Assert.Equal(request.Claims, (await _b.Client.ValidateAsync(new ValidateTokenRequest { Token = next.Token })).Claims);

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var database = connection.GetDatabase();
        var tokens = await connection.GetServers().Single().KeysAsync(pattern: _prefix + "rt:*").ToListAsync();
        Assert.Equal(3, tokens.Count);
        foreach (var key in tokens)
        {
            Assert.Equal(
                """{"tenant":"acme","auth_level":2,"score":0.75,"mfa":true,"roles":["admin","dev"]}""",
                (await database.HashGetAsync(key, "claims")).ToString());
            var ttl = await database.KeyTimeToLiveAsync(key);
            Assert.True(ttl is not null && ttl > TimeSpan.Zero && ttl <= TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1), $"{key} lives {ttl}.");
        }
    }

    [Fact]
    public async Task A_chain_without_claims_has_no_claims_field_and_refreshes_without_claims()
    {
        var created = await _a.CreateAsync(withRefreshToken: true);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var database = connection.GetDatabase();
        var key = Assert.Single(await connection.GetServers().Single().KeysAsync(pattern: _prefix + "rt:*").ToListAsync());
        Assert.False(await database.HashExistsAsync(key, "claims"));

        var refreshed = await _b.RefreshAsync(created.RefreshToken);

        Assert.Empty(refreshed.Claims);
        Assert.Empty((await _a.Client.ValidateAsync(new ValidateTokenRequest { Token = refreshed.Token })).Claims);
    }

    [Fact]
    public async Task Redis_keys_expire_when_the_tokens_they_cover_expire_and_hold_no_refresh_token()
    {
        var created = await _a.CreateAsync(withRefreshToken: true);
        await _a.Client.RevokeAsync(new RevokeSessionRequest { Token = created.Token });
        await _a.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = SessionServer.UserId });
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var server = connection.GetServers().Single();
        var database = connection.GetDatabase();

        var keys = await server.KeysAsync(pattern: _prefix + "*").ToListAsync();

        Assert.NotEmpty(keys);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var key in keys)
        {
            var ttl = await database.KeyTimeToLiveAsync(key);
            Assert.True(ttl is not null && ttl > TimeSpan.Zero, $"{key} has no TTL.");
            var limit = key.ToString().Contains(":rt:", StringComparison.Ordinal) || key.ToString().Contains(":fam:", StringComparison.Ordinal) || key.ToString().Contains(":fs:", StringComparison.Ordinal)
                ? TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1)
                : TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1);
            Assert.True(ttl <= limit, $"{key} lives {ttl}, longer than the tokens it covers ({limit}).");
        }

        var session = await database.StringGetWithExpiryAsync(_prefix + "rs:" + created.SessionId);
        Assert.InRange(session.Expiry!.Value.TotalSeconds, 1, created.ExpiredAt + 30 - now + 1);
        foreach (var key in keys.Where(k => k.ToString().Contains(":rt:", StringComparison.Ordinal)))
        {
            var fields = await database.HashGetAllAsync(key);
            Assert.DoesNotContain(fields, f => f.Value.ToString().Contains(created.RefreshToken, StringComparison.Ordinal));
            Assert.DoesNotContain(created.RefreshToken, key.ToString(), StringComparison.Ordinal);
        }
    }
}

using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>Two session-server instances, each with its own connection and revocation set, sharing the real Redis.</summary>
[Collection(SharedRedisGroup.Name)]
public sealed class CrossInstanceTests(SharedRedis redis) : TwoInstancesTest(redis)
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    private static Task<TimeSpan> UntilRevokedAsync(Instance instance, string token) =>
        Poll.UntilAsync(async () => await instance.ValidateAsync(token) == SessionFailureReason.Revoked, OneSecond, "the other instance refuses the token as revoked");

    [Fact]
    public async Task A_session_revoked_on_one_instance_is_refused_on_the_other_within_a_second()
    {
        var created = await A.Lifecycle.IssueWithRefreshTokenAsync(User);
        Assert.Equal(SessionFailureReason.None, await B.ValidateAsync(created.Session.Token));

        await A.Lifecycle.RevokeSessionAsync(created.Session.SessionId.ToString("D"));

        Assert.Equal(SessionFailureReason.Revoked, await A.ValidateAsync(created.Session.Token));
        await UntilRevokedAsync(B, created.Session.Token);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await B.Lifecycle.RefreshAsync(created.RefreshToken)).Status);
    }

    [Fact]
    public async Task RevokeAll_on_one_instance_ends_every_session_and_chain_on_the_other()
    {
        var first = await A.Lifecycle.IssueWithRefreshTokenAsync(User);
        var second = await B.Lifecycle.IssueWithRefreshTokenAsync(User);

        await B.Lifecycle.RevokeSubjectAsync(User);

        await UntilRevokedAsync(A, first.Session.Token);
        await UntilRevokedAsync(A, second.Session.Token);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await A.Lifecycle.RefreshAsync(first.RefreshToken)).Status);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await A.Lifecycle.RefreshAsync(second.RefreshToken)).Status);
        Assert.Empty(await A.Lifecycle.ListSessionsAsync(User));
    }

    [Fact]
    public async Task A_login_on_the_other_instance_right_after_RevokeAll_in_the_same_second_stays_valid_on_both()
    {
        var before = await A.Lifecycle.IssueWithRefreshTokenAsync(User);
        Time.Advance(TimeSpan.FromMilliseconds(3));

        await A.Lifecycle.RevokeSubjectAsync(User);
        await UntilRevokedAsync(B, before.Session.Token);
        Time.Advance(TimeSpan.FromMilliseconds(3));
        var after = await B.Lifecycle.IssueWithRefreshTokenAsync(User);

        Assert.Equal(before.Session.IssuedAt, after.Session.IssuedAt);
        Assert.Equal(SessionFailureReason.None, await A.ValidateAsync(after.Session.Token));
        Assert.Equal(SessionFailureReason.None, await B.ValidateAsync(after.Session.Token));
        Assert.True((await A.Lifecycle.RefreshAsync(after.RefreshToken)).Succeeded);
    }

    [Fact]
    public async Task RevokeAll_stays_in_force_after_the_longest_session_has_expired()
    {
        var created = await A.Lifecycle.IssueWithRefreshTokenAsync(User);
        await A.Lifecycle.RevokeSubjectAsync(User);

        // Past the subject revocation's own keep (session lifetime + clock skew): the chain's revocation still holds.
        Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await using var late = await Instance.StartAsync(Redis.Configuration, Prefix, Time);

        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await B.Lifecycle.RefreshAsync(created.RefreshToken)).Status);
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await late.Lifecycle.RefreshAsync(created.RefreshToken)).Status);
    }

    [Fact]
    public async Task Parallel_refreshes_on_two_instances_inside_the_grace_period_get_one_and_the_same_successor()
    {
        var created = await A.Lifecycle.IssueWithRefreshTokenAsync(User);

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? A : B).RefreshAsync(created.RefreshToken)));

        Assert.Single(replies.Select(r => r.RefreshToken).Distinct());
        Assert.Single(replies.Select(r => r.Session.Token).Distinct());
        var next = await B.RefreshAsync(replies[0].RefreshToken);
        Assert.Equal(SessionFailureReason.None, await A.ValidateAsync(next.Session.Token));
    }

    [Fact]
    public async Task A_used_refresh_token_presented_after_the_grace_period_revokes_the_chain_everywhere()
    {
        var created = await A.Lifecycle.IssueWithRefreshTokenAsync(User);
        var refreshed = await B.RefreshAsync(created.RefreshToken);
        var next = await A.RefreshAsync(refreshed.RefreshToken);
        Time.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal(RefreshTokenRotationStatus.Reused, (await B.Lifecycle.RefreshAsync(refreshed.RefreshToken)).Status);

        foreach (var token in new[] { created.Session.Token, refreshed.Session.Token, next.Session.Token })
        {
            Assert.Equal(SessionFailureReason.Revoked, await B.ValidateAsync(token));
            await UntilRevokedAsync(A, token);
        }

        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await A.Lifecycle.RefreshAsync(next.RefreshToken)).Status);
    }

    [Fact]
    public async Task An_instance_started_later_replays_the_revocations_already_made()
    {
        var revoked = await A.Lifecycle.IssueWithRefreshTokenAsync(User);
        await A.Lifecycle.RevokeTokenAsync(revoked.Session.Token);
        var other = await A.Lifecycle.IssueWithRefreshTokenAsync("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        await A.Lifecycle.RevokeSubjectAsync("7c9e6679-7425-40de-944b-e07fc1f90ae7");

        await using var late = await Instance.StartAsync(Redis.Configuration, Prefix, Time);

        Assert.Equal(SessionFailureReason.Revoked, await late.ValidateAsync(revoked.Session.Token));
        Assert.Equal(SessionFailureReason.Revoked, await late.ValidateAsync(other.Session.Token));
    }

    [Fact]
    public async Task A_users_devices_are_listed_on_every_instance_and_one_can_be_revoked()
    {
        var phone = await A.Lifecycle.IssueWithRefreshTokenAsync(User, description: "phone");
        Time.Advance(TimeSpan.FromSeconds(1));
        var laptop = await B.Lifecycle.IssueWithRefreshTokenAsync(User, description: "laptop");

        var listed = await B.Lifecycle.ListSessionsAsync(User);

        Assert.Equal(["laptop", "phone"], listed.Select(c => c.Description));
        Assert.Equal(laptop.Session.SessionId.ToString("D"), listed[0].CurrentSessionId);
        await A.Lifecycle.RevokeSessionAsync(listed[1].CurrentSessionId);
        Assert.Equal([laptop.ChainId], (await B.Lifecycle.ListSessionsAsync(User)).Select(c => c.ChainId));
        Assert.Equal(RefreshTokenRotationStatus.Revoked, (await B.Lifecycle.RefreshAsync(phone.RefreshToken)).Status);
    }

    [Fact]
    public async Task Claims_given_at_creation_survive_refreshes_on_the_other_instance()
    {
        var claims = new SessionClaims { ["tenant"] = "acme", ["auth_level"] = 2L, ["mfa"] = true };
        var created = await A.Lifecycle.IssueWithRefreshTokenAsync(User, claims);

        var refreshed = await B.RefreshAsync(created.RefreshToken);

        var validated = await A.Validator.ValidateAsync(refreshed.Session.Token);
        Assert.Equal("acme", validated.Session!.Claims["tenant"].ToString());
        Assert.Equal(3, refreshed.Claims.Count);
    }

    [Fact]
    public async Task Every_key_expires_and_none_holds_a_refresh_token()
    {
        var created = await A.Lifecycle.IssueWithRefreshTokenAsync(User);
        var refreshed = await B.RefreshAsync(created.RefreshToken);
        await A.Lifecycle.RevokeSessionAsync(Guid.NewGuid().ToString("D"));
        await A.Lifecycle.RevokeSubjectAsync(User);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        var database = connection.GetDatabase();

        var keys = await connection.GetServers().Single().KeysAsync(pattern: "*" + Prefix + "*").ToListAsync();

        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var ttl = await database.KeyTimeToLiveAsync(key);
            // The longest: a user's chains, kept a day past the chains' 30-day absolute lifetime (allowing for clock skew).
            Assert.True(ttl is not null && ttl > TimeSpan.Zero && ttl <= TimeSpan.FromDays(31) + TimeSpan.FromMinutes(2), $"{key} lives {ttl}.");
            Assert.DoesNotContain(created.RefreshToken, key.ToString(), StringComparison.Ordinal);
            var dump = await database.ExecuteAsync("DUMP", key);
            Assert.DoesNotContain(created.RefreshToken, ((byte[])dump!).Select(b => (char)b).ToArray().AsSpan().ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(refreshed.RefreshToken, ((byte[])dump!).Select(b => (char)b).ToArray().AsSpan().ToString(), StringComparison.Ordinal);
        }
    }
}

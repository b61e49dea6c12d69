using Microsoft.Extensions.Time.Testing;
using Sessions.Jwt;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>
/// The revocation log holds what is revoked, not how often it was asked: a revocation already in force, repeated on any
/// instance, adds nothing to it (Revoke by token is open to every holder of a token), and still holds everywhere.
/// </summary>
[Collection(SharedRedisGroup.Name)]
public sealed class RevocationLogTests(SharedRedis redis) : IAsyncLifetime
{
    private const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    private const int Repeats = 20;
    private readonly string _prefix = SharedRedis.NewPrefix();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private Instance _a = null!;
    private Instance _b = null!;

    public async Task InitializeAsync()
    {
        _a = await Instance.StartAsync(redis.Configuration, _prefix, _time);
        _b = await Instance.StartAsync(redis.Configuration, _prefix, _time);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task Revoking_a_revoked_chain_session_again_by_token_or_id_adds_nothing_to_the_log()
    {
        var sessions = await ChainWithSessionsAsync(4);
        var latest = sessions[^1];
        await _a.Lifecycle.RevokeTokenAsync(latest.Session.Token);
        var logged = await LogLengthAsync();
        Assert.Equal(4, logged);   // each live session of the chain, once

        for (var i = 0; i < Repeats; i++)
        {
            var instance = i % 2 == 0 ? _b : _a;
            await instance.Lifecycle.RevokeTokenAsync(latest.Session.Token);
            await instance.Lifecycle.RevokeTokenAsync(sessions[0].Session.Token);
        }

        Assert.Equal(logged, await LogLengthAsync());
        await AllRefusedEverywhereAsync(sessions);
    }

    [Fact]
    public async Task Revoking_a_chain_session_by_id_logs_it_once_however_often_it_is_asked()
    {
        var sessions = await ChainWithSessionsAsync(3);
        await _a.Lifecycle.RevokeSessionAsync(sessions[^1].Session.SessionId.ToString("D"));
        var logged = await LogLengthAsync();

        for (var i = 0; i < Repeats; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await (i % 2 == 0 ? _b : _a).Lifecycle.RevokeSessionAsync(sessions[^1].Session.SessionId.ToString("D"));
            await (i % 2 == 0 ? _a : _b).Lifecycle.RevokeTokenAsync(sessions[^1].Session.Token);
        }

        Assert.Equal(logged, await LogLengthAsync());
        await AllRefusedEverywhereAsync(sessions);
    }

    [Fact]
    public async Task RevokeAll_repeated_logs_the_user_once_per_call_not_every_session_again()
    {
        var sessions = await ChainWithSessionsAsync(4);
        await _a.Lifecycle.RevokeSubjectAsync(User);
        var logged = await LogLengthAsync();
        Assert.Equal(5, logged);   // the user and each live session of its chain

        for (var i = 0; i < Repeats; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            await (i % 2 == 0 ? _b : _a).Lifecycle.RevokeSubjectAsync(User);
        }

        Assert.Equal(logged + Repeats, await LogLengthAsync());
        await AllRefusedEverywhereAsync(sessions);
    }

    [Fact]
    public async Task Revoking_a_session_without_chain_by_its_token_again_adds_nothing_to_the_log()
    {
        using var issuer = new JwtSessionIssuer(new JwtSessionOptions { Secret = Instance.Secret }, _time);
        var token = issuer.Issue(User).Token;
        await _a.Lifecycle.RevokeTokenAsync(token);
        var logged = await LogLengthAsync();
        Assert.Equal(1, logged);

        for (var i = 0; i < Repeats; i++)
        {
            await (i % 2 == 0 ? _b : _a).Lifecycle.RevokeTokenAsync(token);
        }

        Assert.Equal(logged, await LogLengthAsync());
        await using var fresh = await Instance.StartAsync(redis.Configuration, _prefix, _time);
        Assert.Equal(SessionFailureReason.Revoked, await fresh.ValidateAsync(token));
    }

    private async Task<List<RefreshTokenIssued>> ChainWithSessionsAsync(int count)
    {
        var sessions = new List<RefreshTokenIssued> { await _a.Lifecycle.IssueWithRefreshTokenAsync(User) };
        while (sessions.Count < count)
        {
            sessions.Add(await _b.RefreshAsync(sessions[^1].RefreshToken));
        }

        return sessions;
    }

    private async Task AllRefusedEverywhereAsync(List<RefreshTokenIssued> sessions)
    {
        await using var fresh = await Instance.StartAsync(redis.Configuration, _prefix, _time);
        await _b.Store.SynchronizeAsync();
        await _a.Store.SynchronizeAsync();
        foreach (var instance in new[] { _a, _b, fresh })
        {
            foreach (var session in sessions)
            {
                Assert.Equal(SessionFailureReason.Revoked, await instance.ValidateAsync(session.Session.Token));
            }

            Assert.Equal(RefreshTokenRotationStatus.Revoked, (await instance.Lifecycle.RefreshAsync(sessions[^1].RefreshToken)).Status);
        }
    }

    private async Task<long> LogLengthAsync()
    {
        var database = _a.Store.Connection!.GetDatabase();
        var lengths = await Task.WhenAll(_a.Store.Keys.Logs.Select(log => database.StreamLengthAsync(log)));
        return lengths.Sum();
    }
}

using Sessions.Jwt;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>
/// The revocation log holds what is revoked, not how often it was asked: a revocation already in force, repeated on any
/// instance, adds nothing to it (Revoke by token is open to every holder of a token), and still holds everywhere.
/// </summary>
[Collection(SharedRedisGroup.Name)]
public sealed class RevocationLogTests(SharedRedis redis) : TwoInstancesTest(redis)
{
    private const int Repeats = 20;

    [Fact]
    public async Task Revoking_a_revoked_chain_session_again_by_token_or_id_adds_nothing_to_the_log()
    {
        var sessions = await ChainWithSessionsAsync(4);
        var latest = sessions[^1];
        await A.Lifecycle.RevokeTokenAsync(latest.Session.Token);
        var logged = await LogLengthAsync();
        Assert.Equal(4, logged);   // each live session of the chain, once

        for (var i = 0; i < Repeats; i++)
        {
            var instance = i % 2 == 0 ? B : A;
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
        await A.Lifecycle.RevokeSessionAsync(sessions[^1].Session.SessionId.ToString("D"));
        var logged = await LogLengthAsync();

        for (var i = 0; i < Repeats; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await (i % 2 == 0 ? B : A).Lifecycle.RevokeSessionAsync(sessions[^1].Session.SessionId.ToString("D"));
            await (i % 2 == 0 ? A : B).Lifecycle.RevokeTokenAsync(sessions[^1].Session.Token);
        }

        Assert.Equal(logged, await LogLengthAsync());
        await AllRefusedEverywhereAsync(sessions);
    }

    [Fact]
    public async Task RevokeAll_repeated_logs_the_user_once_per_call_not_every_session_again()
    {
        var sessions = await ChainWithSessionsAsync(4);
        await A.Lifecycle.RevokeSubjectAsync(User);
        var logged = await LogLengthAsync();
        Assert.Equal(5, logged);   // the user and each live session of its chain

        for (var i = 0; i < Repeats; i++)
        {
            Time.Advance(TimeSpan.FromMilliseconds(10));
            await (i % 2 == 0 ? B : A).Lifecycle.RevokeSubjectAsync(User);
        }

        Assert.Equal(logged + Repeats, await LogLengthAsync());
        await AllRefusedEverywhereAsync(sessions);
    }

    [Fact]
    public async Task Revoking_a_session_without_chain_by_its_token_again_adds_nothing_to_the_log()
    {
        using var issuer = new JwtSessionIssuer(new JwtSessionOptions { Secret = Instance.Secret }, Time);
        var token = issuer.Issue(User).Token;
        await A.Lifecycle.RevokeTokenAsync(token);
        var logged = await LogLengthAsync();
        Assert.Equal(1, logged);

        for (var i = 0; i < Repeats; i++)
        {
            await (i % 2 == 0 ? B : A).Lifecycle.RevokeTokenAsync(token);
        }

        Assert.Equal(logged, await LogLengthAsync());
        await using var fresh = await Instance.StartAsync(Redis.Configuration, Prefix, Time);
        Assert.Equal(SessionFailureReason.Revoked, await fresh.ValidateAsync(token));
    }

    private async Task<List<RefreshTokenIssued>> ChainWithSessionsAsync(int count)
    {
        var sessions = new List<RefreshTokenIssued> { await A.Lifecycle.IssueWithRefreshTokenAsync(User) };
        while (sessions.Count < count)
        {
            sessions.Add(await B.RefreshAsync(sessions[^1].RefreshToken));
        }

        return sessions;
    }

    private async Task AllRefusedEverywhereAsync(List<RefreshTokenIssued> sessions)
    {
        await using var fresh = await Instance.StartAsync(Redis.Configuration, Prefix, Time);
        await B.Store.SynchronizeAsync();
        await A.Store.SynchronizeAsync();
        foreach (var instance in new[] { A, B, fresh })
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
        var database = A.Store.Connection!.GetDatabase();
        var lengths = await Task.WhenAll(A.Store.Keys.Logs.Select(log => database.StreamLengthAsync(log)));
        return lengths.Sum();
    }
}

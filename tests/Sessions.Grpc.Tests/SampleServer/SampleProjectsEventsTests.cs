using Grpc.Net.Client;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Redis.Tests.Infrastructure;
using Sessions.SampleProjects;
using Sessions.SampleProjects.Protocol;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// The session events end to end on a real Redis: the sample server publishes them (<c>SESSIONS_EVENTS=redis</c>), the
/// projects service consumes them (<c>SESSIONS_EVENTS_REDIS</c>) and forgets a revoked session's cached data.
/// </summary>
public sealed class SampleProjectsEventsTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    private const string ApiKey = "sample-events-api-key-that-is-long-enough-0123456789";
    private static readonly Metadata Key = new() { { SessionsApiKeyDefaults.MetadataKey, ApiKey } };

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after 10 s waiting until {what}.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Revoking_on_the_sample_server_drops_the_sessions_cached_data_in_the_projects_service()
    {
        var stream = SharedRedis.NewPrefix() + "events";
        await using var sessions = await LoopbackServer.StartAsync(Sessions.SampleServer.Program.Build(
        [
            "--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", "--JWT_ALGORITHM=ES256", "--SESSIONS_API_KEY=" + ApiKey,
            "--SESSIONS_REDIS=" + redis.Configuration, "--Sessions:Redis:KeyPrefix=" + SharedRedis.NewPrefix(),
            "--SESSIONS_EVENTS=redis", "--Sessions:Events:StreamKey=" + stream,
        ]));
        await using var projects = await LoopbackServer.StartAsync(
            Sessions.SampleProjects.Program.Build(
            [
                "--PORT=0", "--SESSIONS_JWKS_URL=" + sessions.Addresses[1] + SessionsWellKnownPaths.JsonWebKeySet,
                "--SESSIONS_EVENTS_REDIS=" + redis.Configuration, "--Sessions:Events:StreamKey=" + stream, "--Sessions:Events:PollInterval=00:00:00.020",
            ]),
            new GrpcChannelOptions { UnsafeUseInsecureChannelCallCredentials = true });
        var client = new Projects.ProjectsClient(projects.Channel);
        var cache = projects.App.Services.GetRequiredService<SessionCache>();
        var other = Guid.NewGuid().ToString();
        var phone = await sessions.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId, WithRefreshToken = true }, Key);
        var laptop = await sessions.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, Key);
        var someoneElse = await sessions.Client.CreateAsync(new CreateRequest { UserId = other }, Key);
        await client.CreateProjectAsync(new CreateProjectRequest { Name = "apollo" }, new CallOptions(credentials: SessionCallCredentials.Create(phone.Token)));
        foreach (var session in new[] { phone, laptop, someoneElse })
        {
            var listed = await client.ListProjectsAsync(new ListProjectsRequest(), new CallOptions(credentials: SessionCallCredentials.Create(session.Token)));
            Assert.Equal(session == someoneElse ? 0 : 1, listed.Projects.Count);
        }

        Assert.True(cache.Contains(phone.SessionId) && cache.Contains(laptop.SessionId) && cache.Contains(someoneElse.SessionId), "every session's list is cached");

        Assert.True((await sessions.Client.RevokeAsync(new RevokeSessionRequest { SessionId = phone.SessionId }, Key)).Revoked);
        await UntilAsync(() => !cache.Contains(phone.SessionId), "the projects service forgets the revoked session's cached list");
        Assert.True(cache.Contains(laptop.SessionId) && cache.Contains(someoneElse.SessionId), "only the revoked session's entry is dropped");

        Assert.True((await sessions.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = TestTokens.UserId }, Key)).Revoked);
        await UntilAsync(() => !cache.Contains(laptop.SessionId), "RevokeAll drops every cached session of the user");
        Assert.True(cache.Contains(someoneElse.SessionId), "another user's entry stays");
    }

    [Fact]
    public void An_event_delivered_twice_is_acted_on_once()
    {
        var cache = new SessionCache(TimeProvider.System);
        var revoked = new SessionEvent(Guid.NewGuid().ToString(), SessionEventKind.Revoked, TestTokens.UserId, Guid.NewGuid().ToString(), null, DateTimeOffset.UtcNow);

        Assert.True(cache.Apply(revoked));
        Assert.False(cache.Apply(revoked));
        Assert.True(cache.Apply(revoked with { EventId = Guid.NewGuid().ToString() }));
    }
}

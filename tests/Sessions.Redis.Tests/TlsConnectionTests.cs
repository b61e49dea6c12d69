using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sessions.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sessions.Redis.Tests;

/// <summary>
/// <c>ConfigureConnection</c>: a Redis behind TLS with a private certificate authority and client certificates, which
/// a configuration string cannot reach, used by the store (both of its connections) and by the session events.
/// </summary>
public sealed class TlsConnectionTests
{
    private const string User = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [Fact]
    public async Task With_the_configuration_string_alone_the_store_cannot_reach_it()
    {
        await using var redis = await TlsRedis.StartAsync(requireClientCertificates: true);
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix());

        var ex = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => instance.Lifecycle.IssueWithRefreshTokenAsync(User));

        Assert.Equal(RedisSessionStore.UnavailableMessage, ex.Message);
    }

    [Fact]
    public async Task With_ConfigureConnection_two_instances_refresh_and_revoke_through_it()
    {
        await using var redis = await TlsRedis.StartAsync(requireClientCertificates: true);
        var prefix = SharedRedis.NewPrefix();
        await using var a = await Instance.StartAsync(redis.Configuration, prefix, redisOptions: o => o.ConfigureConnection = redis.Configure);
        await using var b = await Instance.StartAsync(redis.Configuration, prefix, redisOptions: o => o.ConfigureConnection = redis.Configure);

        var issued = await a.Lifecycle.IssueWithRefreshTokenAsync(User);
        var refreshed = await b.RefreshAsync(issued.RefreshToken);
        await a.Lifecycle.RevokeSessionAsync(refreshed.Session.SessionId.ToString("D"));

        // The revocation goes through a's revocations' connection and reaches b through the revocation log.
        await Poll.UntilAsync(async () => await b.ValidateAsync(refreshed.Session.Token) == SessionFailureReason.Revoked, TimeSpan.FromSeconds(5), "b refuses the revoked session");
        Assert.Equal(SessionFailureReason.Revoked, await a.ValidateAsync(refreshed.Session.Token));
    }

    [Fact]
    public async Task The_hook_cannot_turn_off_what_the_store_relies_on()
    {
        await using var redis = await TlsRedis.StartAsync(requireClientCertificates: false);
        var configured = new List<ConfigurationOptions>();
        await using var instance = await Instance.StartAsync(redis.Configuration, SharedRedis.NewPrefix(), redisOptions: o => o.ConfigureConnection = c =>
        {
            redis.Configure(c);
            c.AbortOnConnectFail = true;
            c.BacklogPolicy = BacklogPolicy.Default;
            configured.Add(c);
        });

        Assert.NotEmpty((await instance.Lifecycle.IssueWithRefreshTokenAsync(User)).RefreshToken);
        var options = Assert.Single(configured);
        Assert.False(options.AbortOnConnectFail);
        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
    }

    [Fact]
    public async Task The_session_events_sink_publishes_through_it()
    {
        await using var redis = await TlsRedis.StartAsync(requireClientCertificates: true);
        var stream = SharedRedis.NewPrefix() + "events";
        await using var sink = new RedisSessionEventSink(new RedisSessionEventsOptions
        {
            Configuration = redis.Configuration,
            ConfigureConnection = redis.Configure,
            StreamKey = stream,
        });

        await sink.PublishAsync(new SessionEvent("e-1", SessionEventKind.RevokedAll, User, null, null, DateTimeOffset.UtcNow));

        var reader = ConfigurationOptions.Parse(redis.Configuration);
        redis.Configure(reader);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(reader);
        await Poll.UntilAsync(async () => await connection.GetDatabase().StreamLengthAsync(stream) == 1, TimeSpan.FromSeconds(10), "the event is appended over TLS");
    }

    [Fact]
    public async Task A_session_events_consumer_receives_through_it()
    {
        await using var redis = await TlsRedis.StartAsync(requireClientCertificates: true);
        var stream = SharedRedis.NewPrefix() + "events";
        var received = new TaskCompletionSource<SessionEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSessionEvents(
            o =>
            {
                o.Configuration = redis.Configuration;
                o.ConfigureConnection = redis.Configure;
                o.StreamKey = stream;
                o.ConsumerGroup = "audit";
                o.ConsumerName = "audit-1";
                o.PollInterval = TimeSpan.FromMilliseconds(20);
            },
            (e, _) =>
            {
                received.TrySetResult(e);
                return Task.CompletedTask;
            });
        using var consumer = builder.Build();
        await consumer.StartAsync();
        await using var sink = new RedisSessionEventSink(new RedisSessionEventsOptions
        {
            Configuration = redis.Configuration,
            ConfigureConnection = redis.Configure,
            StreamKey = stream,
        });

        await sink.PublishAsync(new SessionEvent("e-1", SessionEventKind.RevokedAll, User, null, null, DateTimeOffset.UtcNow));

        var delivered = await received.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("e-1", delivered.EventId);
        Assert.Equal(User, delivered.Subject);
        await consumer.StopAsync();
    }
}

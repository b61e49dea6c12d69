using System.Threading.Channels;
using Grpc.Core;
using Sessions;
using Sessions.Grpc;
using Sessions.Grpc.Protocol;

namespace DocsSamples;

// <session-events-service>
/// <summary>Whatever client the broker has (Kafka, RabbitMQ, NATS, a cloud queue): implement it with that client.</summary>
public interface IMessageBroker
{
    Task PublishAsync<T>(string topic, T message, CancellationToken cancellationToken);
}

public sealed record SessionCreated(Guid SessionId, string Subject, DateTimeOffset ExpiresAt);

/// <summary>The sessions service, plus an event for every session it creates, queued in memory, never awaited on the broker.</summary>
public sealed class PublishingSessionsService(SessionsServiceDependencies dependencies, ChannelWriter<SessionCreated> events)
    : SessionsService(dependencies)
{
    protected override ValueTask OnCreatedAsync(IssuedSession session, TokenReply reply, ServerCallContext context)
    {
        events.TryWrite(new SessionCreated(session.SessionId, reply.Subject, session.ExpiresAt));   // full queue: drop the oldest
        return ValueTask.CompletedTask;
    }
}

/// <summary>Sends the queued events to the broker, in the background.</summary>
public sealed class SessionEventPublisher(ChannelReader<SessionCreated> events, IMessageBroker broker) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (SessionCreated created in events.ReadAllAsync(stoppingToken))
        {
            await broker.PublishAsync("sessions.created", created, stoppingToken);
        }
    }
}
// </session-events-service>

public static class SessionEventsHost
{
    public static WebApplication Build(string[] args, IMessageBroker broker)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSingleton(broker);
        // <session-events-wiring>
        var events = Channel.CreateBounded<SessionCreated>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        builder.Services.AddSingleton(events.Writer);
        builder.Services.AddSingleton(events.Reader);
        builder.Services.AddHostedService<SessionEventPublisher>();
        builder.Services.AddSessions().AddService<PublishingSessionsService>();

        var app = builder.Build();
        app.MapSessions<PublishingSessionsService>();
        // </session-events-wiring>
        return app;
    }
}

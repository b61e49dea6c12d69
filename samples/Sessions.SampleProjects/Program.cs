using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Sessions.Redis;

namespace Sessions.SampleProjects;

/// <summary>
/// The sample downstream service: <c>projects.Projects</c> over h2c, every call authenticated with a session token
/// validated locally with the keys the session server publishes — the session server is never called per request.
/// </summary>
public static class Program
{
    /// <summary>The port used when <c>PORT</c> is not set: 3125.</summary>
    public const int DefaultPort = 3125;

    /// <summary>The key set used when <c>SESSIONS_JWKS_URL</c> is not set: the sample session server's.</summary>
    public const string DefaultJwksUrl = "http://127.0.0.1:3124/.well-known/jwks.json";

    /// <summary>
    /// The consumer group of the session events unless <c>Sessions:Events:ConsumerGroup</c> says otherwise:
    /// <c>sessions-sample-projects</c>.
    /// </summary>
    public const string DefaultConsumerGroup = "sessions-sample-projects";

    /// <summary>Runs the service until it is stopped.</summary>
    /// <param name="args">Command-line arguments, e.g. <c>--PORT=4000</c>.</param>
    /// <returns>A task that completes when the service stopped.</returns>
    public static async Task Main(string[] args)
    {
        await using var app = Build(args);
        await app.RunAsync();
    }

    /// <summary>Builds the service without starting it, so that tests can start it in-process.</summary>
    /// <param name="args">Command-line arguments, which override environment variables.</param>
    /// <returns>The application, ready to start.</returns>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var configuration = builder.Configuration;
        var port = int.Parse(configuration["PORT"] ?? DefaultPort.ToString(CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture);
        var address = IPAddress.Parse(configuration["LISTEN_ADDRESS"] ?? "127.0.0.1");
        var jwksUrl = new Uri(configuration["SESSIONS_JWKS_URL"] ?? DefaultJwksUrl);

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http2));

        // Keys come from the session server's JWKS: fetched at start, cached, refreshed every 5 minutes and at once
        // (at most every 10 s) when a token names a new key. The last good keys stay in use while it is down.
        builder.Services.AddJwtSessionValidation(
            keys => keys.JwksUri = jwksUrl,
            session =>
            {
                session.Issuer = configuration["SESSIONS_ISSUER"] ?? session.Issuer;
                session.Audience = configuration["SESSIONS_AUDIENCE"] ?? session.Audience;
            });
        builder.Services.AddGrpc().AddSessionAuthentication();
        builder.Services.AddSingleton<ProjectsService>(); // one instance holds the in-memory projects
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionCache>();

        // SESSIONS_EVENTS_REDIS: the Redis the session server publishes its events to (SESSIONS_EVENTS=redis there).
        // A revoked session's cached data is dropped at once, not at its expiry. Delivery is at least once (after a
        // crash, to another instance of the group): SessionCache acts once per event id.
        if (configuration["SESSIONS_EVENTS_REDIS"] is { Length: > 0 } eventsRedis)
        {
            var section = configuration.GetSection(RedisSessionEventsOptions.SectionName);
            builder.Services.AddSessionEvents(
                events =>
                {
                    events.ConsumerGroup = DefaultConsumerGroup;   // every instance of this service shares the events
                    section.Bind(events);                          // Sessions__Events__StreamKey, __ConsumerName, ...
                    events.Configuration = eventsRedis;
                },
                (services, sessionEvent, _) =>
                {
                    services.GetRequiredService<SessionCache>().Apply(sessionEvent);
                    return Task.CompletedTask;
                });
        }

        var app = builder.Build();
        app.MapGrpcService<ProjectsService>();
        return app;
    }
}

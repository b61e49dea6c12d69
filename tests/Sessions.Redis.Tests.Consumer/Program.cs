using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage: Sessions.Redis.Tests.Consumer <redis configuration> <stream key> <consumer group> <consumer name>
// Consumes the session events; for each one it prints "handling <event id>" and then blocks in its handler until the
// process is killed, so the event is never acknowledged.
if (args.Length != 4)
{
    await Console.Error.WriteLineAsync("usage: Sessions.Redis.Tests.Consumer <redis configuration> <stream key> <consumer group> <consumer name>");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Services.AddSessionEvents(
    options =>
    {
        options.Configuration = args[0];
        options.StreamKey = args[1];
        options.ConsumerGroup = args[2];
        options.ConsumerName = args[3];
        options.PollInterval = TimeSpan.FromMilliseconds(20);
    },
    async (sessionEvent, cancellationToken) =>
    {
        Console.WriteLine($"handling {sessionEvent.EventId}");
        await Task.Delay(Timeout.Infinite, cancellationToken);
    });
using var host = builder.Build();
await host.RunAsync();
return 0;

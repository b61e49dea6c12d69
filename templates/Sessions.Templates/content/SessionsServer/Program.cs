using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.EventSource;
using Microsoft.Extensions.Options;
using ZLogger;

var builder = WebApplication.CreateBuilder(args);
// Until the server listens, a failure to start is told in one line below; the host's own report of it, with the
// exception's stack trace, is left out (after that, the host logs as usual).
var listening = false;
builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level >= LogLevel.Information && (level < LogLevel.Error || Volatile.Read(ref listening)));
// The server writes one line per call. ZLogger formats lines as UTF-8 and writes them in batches from a background
// thread, where Microsoft's console logger writes each line by itself (on one CPU about 1.1 against 1.7 microseconds
// per line). JSON lines: options.UseJsonFormatter(). EventSource stays for dotnet-trace in the JIT build.
builder.Logging.ClearProviders().AddEventSourceLogger().AddZLoggerConsole(options => options.UsePlainTextFormatter(formatter =>
    formatter.SetPrefixFormatter($"{0:O} {1:short} {2}: ", (in MessageTemplate template, in LogInfo info) => template.Format(info.Timestamp.Utc.UtcDateTime, info.LogLevel, info.Category))));
// Until a tracing session (dotnet-trace, dotnet-monitor) asks for logs, the EventSource logger answers no to every
// IsEnabled check, about 20 per call, yet each of them asks it: at None it is left out of them. A session still gets its
// logs, because the rule it adds then comes after this one, which goes before every other filter setting (Insert(0)).
builder.Services.Insert(0, ServiceDescriptor.Singleton<IConfigureOptions<LoggerFilterOptions>>(
    new ConfigureOptions<LoggerFilterOptions>(filters => filters.AddFilter<EventSourceLoggerProvider>(null, LogLevel.None))));
#if (redis)
builder.Services.AddSessions()   // binds the "Sessions" section: Sessions__Secret=... or appsettings.json
    .RequireApiKey()             // Create, RevokeAll, ... need the x-api-key metadata: Sessions__ApiKey=...
    .AddRedisStore();            // binds "Sessions:Redis": Sessions__Redis__Configuration=127.0.0.1:6379
#else
builder.Services.AddSessions()   // binds the "Sessions" section: Sessions__Secret=... or appsettings.json
    .RequireApiKey();            // Create, RevokeAll, ... need the x-api-key metadata: Sessions__ApiKey=...
#endif
var app = builder.Build();
app.MapSessions();
// The settings are validated before the server starts. Whatever stops the start (a missing or invalid setting, a port
// in use) is told in one line that names it and says how to fix it, with exit code 1, rather than with an exception
// and its stack trace. A Redis out of reach does not stop it: the store warns and keeps connecting in the background.
try
{
    app.Services.GetRequiredService<IStartupValidator>().Validate();
    await app.StartAsync();
}
catch (Exception failure) when (CannotStart(failure, app.Configuration) is { } reason)
{
    Console.Error.WriteLine($"SessionsServer cannot start: {reason}");
    return 1;
}

Volatile.Write(ref listening, true);
await app.WaitForShutdownAsync();
return 0;

static string? CannotStart(Exception failure, IConfiguration configuration) => failure switch
{
    // InvalidOperationException: the configuration binder's (a value that is not of the setting's type) and the
    // start-up checks' of the sessions service.
    OptionsValidationException or InvalidOperationException => failure.Message,
    AggregateException all when all.InnerExceptions.All(inner => inner is OptionsValidationException) =>
        string.Join(" ", all.InnerExceptions.Select(inner => inner.Message)),
    IOException { InnerException: AddressInUseException } =>
        $"{failure.Message} Stop the process that listens there, or give this server free ports: Kestrel__Endpoints__Grpc__Url and Kestrel__Endpoints__Http__Url (Kestrel:Endpoints in appsettings.json).",
    // An endpoint Kestrel cannot listen on as written: a port past 65535, a URL that is not one, an address that is
    // not this machine's. Kestrel's message names neither the URL nor the setting: the line gives both endpoints' URLs.
    ArgumentOutOfRangeException or FormatException or SocketException =>
        $"{failure.Message.TrimEnd('.')}. Check the endpoints, Kestrel__Endpoints__Grpc__Url ({configuration["Kestrel:Endpoints:Grpc:Url"]}) and Kestrel__Endpoints__Http__Url ({configuration["Kestrel:Endpoints:Http:Url"]}) (Kestrel:Endpoints in appsettings.json): an http:// URL with an address of this machine and a port, such as http://127.0.0.1:3123.",
    _ => null,
};

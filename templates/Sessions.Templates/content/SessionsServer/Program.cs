using Microsoft.Extensions.Options;
using ZLogger;

var builder = WebApplication.CreateBuilder(args);
// The server writes one line per call. ZLogger formats lines as UTF-8 and writes them in batches from a background
// thread, where Microsoft's console logger writes each line by itself (on one CPU about 1.1 against 1.7 microseconds
// per line). JSON lines: options.UseJsonFormatter(). EventSource stays for dotnet-trace in the JIT build.
builder.Logging.ClearProviders().AddEventSourceLogger().AddZLoggerConsole(options => options.UsePlainTextFormatter(formatter =>
    formatter.SetPrefixFormatter($"{0:O} {1:short} {2}: ", (in MessageTemplate template, in LogInfo info) => template.Format(info.Timestamp.Utc.UtcDateTime, info.LogLevel, info.Category))));
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
// The settings are validated here, before the server starts: a missing or invalid one stops it with one line that
// names it and says how to fix it (exit code 1), rather than with an exception and its stack trace from app.Run().
try
{
    app.Services.GetRequiredService<IStartupValidator>().Validate();
}
catch (Exception failure) when (failure is OptionsValidationException or AggregateException { InnerException: OptionsValidationException }
    or InvalidOperationException)   // the configuration binder's: a value that is not of the setting's type
{
    IEnumerable<string> messages = failure is AggregateException all ? all.InnerExceptions.Select(inner => inner.Message) : [failure.Message];
    Console.Error.WriteLine($"SessionsServer cannot start: {string.Join(" ", messages)}");
    return 1;
}

app.Run();
return 0;

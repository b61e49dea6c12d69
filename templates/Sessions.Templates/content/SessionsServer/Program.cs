var builder = WebApplication.CreateBuilder(args);
#if (redis)
builder.Services.AddSessions()   // binds the "Sessions" section: Sessions__Secret=... or appsettings.json
    .AddRedisStore();            // binds "Sessions:Redis": Sessions__Redis__Configuration=127.0.0.1:6379
#else
builder.Services.AddSessions();   // binds the "Sessions" section: Sessions__Secret=... or appsettings.json
#endif
var app = builder.Build();
app.MapSessions();
app.Run();

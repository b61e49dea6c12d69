using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Time.Testing;
using Sessions.Jwt;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>
/// Builds a minimal host of the sessions service on 127.0.0.1 with a dynamic port, a <see cref="FakeTimeProvider"/>
/// and captured logs.
/// </summary>
public static class SessionsHost
{
    public const string Secret = "test-secret-that-is-at-least-32-bytes-long!";

    /// <summary>2030-01-01T00:00:00Z: the fake clock's start.</summary>
    public static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A host builder with Kestrel on loopback, a fake clock and captured logs, before any sessions registration.</summary>
    public static WebApplicationBuilder CreateBuilder(FakeTimeProvider time, LogCollector logs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<TimeProvider>(time);
        return builder;
    }

    /// <summary>Starts the standard host: <c>AddSessions(o =&gt; o.Secret = Secret)</c> and <c>MapSessions()</c>.</summary>
    public static Task<TestHost> StartAsync(Action<JwtSessionOptions>? configure = null) =>
        StartAsync(builder => builder.Services.AddSessions(o =>
        {
            o.Secret = Secret;
            configure?.Invoke(o);
        }), app => app.MapSessions());

    /// <summary>Starts a host whose sessions registration and mapping the caller chooses.</summary>
    public static async Task<TestHost> StartAsync(Action<WebApplicationBuilder> register, Action<WebApplication> map)
    {
        var time = new FakeTimeProvider(Start);
        var logs = new LogCollector();
        var builder = CreateBuilder(time, logs);
        register(builder);
        var app = builder.Build();
        map(app);
        return new TestHost(await LoopbackServer.StartAsync(app), time, logs);
    }
}

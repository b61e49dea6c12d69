using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sessions.Jwt;
using Sessions.SampleServer.Logging;

namespace Sessions.SampleServer;

/// <summary>
/// The sample session server: <c>sessions.Sessions</c>, server reflection and the standard health service over
/// HTTP/2 without TLS (h2c), on <see cref="SampleSettings.DefaultPort"/> unless <c>PORT</c> says otherwise.
/// </summary>
public static class Program
{
    /// <summary>
    /// How long a stopping server (SIGTERM, Ctrl+C) lets calls in flight finish before it closes their connections:
    /// 30 seconds, the usual Kubernetes termination grace period.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the server until it is stopped.</summary>
    /// <param name="args">Command-line arguments; <c>--PORT=4000</c> and the like work as the environment does.</param>
    /// <returns>0 after a clean stop; 1 when the configuration cannot be used.</returns>
    /// <remarks>With <c>--health-check</c> it checks a running server instead (<see cref="HealthProbe"/>).</remarks>
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains(HealthProbe.Switch))
        {
            return await HealthProbe.RunAsync([.. args.Where(a => a != HealthProbe.Switch)]);
        }

        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync($"Sessions.SampleServer cannot start: {ex.Message}");
            return 1;
        }

        await using (app)
        {
            await app.RunAsync();
        }

        return 0;
    }

    /// <summary>
    /// Builds the server without starting it, so that tests can start it in-process.
    /// </summary>
    /// <param name="args">Command-line arguments, which override environment variables and appsettings.json.</param>
    /// <param name="configureServices">Changes to the services after the sample's own, for tests.</param>
    /// <returns>The application, ready to start.</returns>
    /// <exception cref="InvalidOperationException">A setting cannot be used; the message names it.</exception>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = SampleSettings.Apply(builder.Configuration);
        SampleLogging.Add(builder);

        // Kestrel speaks HTTP/2 without TLS (h2c, what gRPC clients use here) only on an HTTP/2-only endpoint, and an
        // endpoint without TLS cannot offer both. JWKS and discovery clients use HTTP/1.1, so they get a second
        // listener. Both serve every endpoint; the first one is the gRPC one.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(settings.Address, settings.Port, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(settings.Address, settings.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);

        builder.Services.AddSessions(builder.Configuration.GetSection(JwtSessionOptions.SectionName));
        SampleTelemetry.Add(builder);
        SampleReflection.Add(builder.Services);
        builder.Services.AddGrpcHealthChecks().AddCheck("sessions", () => HealthCheckResult.Healthy());
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        if (settings.SecretGenerated)
        {
            SampleLog.GeneratedSecret(app.Logger);
        }

        if (settings.GeneratedKeyId is { } keyId)
        {
            SampleLog.GeneratedKey(app.Logger, builder.Configuration["JWT_ALGORITHM"]!, keyId);
        }

        app.MapSessions();
        SampleReflection.Map(app);
        app.MapGrpcHealthChecksService();
        return app;
    }
}

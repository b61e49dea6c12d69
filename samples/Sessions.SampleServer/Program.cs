using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
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
    /// <returns>
    /// 0 after a clean stop; 1 when the server cannot start (a setting cannot be used, a port is taken), after one line
    /// on stderr that names the setting as it was written and says how to fix it.
    /// </returns>
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
            await Console.Error.WriteLineAsync($"{CannotStart}{ex.Message}");
            return 1;
        }

        await using (app)
        {
            try
            {
                await app.StartAsync();
            }
#pragma warning disable CA1031 // Whatever stops the start is reported as one line and exit code 1, not a crash.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                await Console.Error.WriteLineAsync($"{CannotStart}{StartupFailure.Describe(ex, app.Configuration, app.Services.GetService<SampleSettings>())}");
                return 1;
            }

            await app.WaitForShutdownAsync();
        }

        return 0;
    }

    private const string CannotStart = "Sessions.SampleServer cannot start: ";

    /// <summary>
    /// The folder the server reads appsettings.json from: the one it was installed in (beside its binary), wherever it
    /// is started from, unless <c>--contentRoot</c> or <c>ASPNETCORE_CONTENTROOT</c> / <c>DOTNET_CONTENTROOT</c> says
    /// otherwise. A service unit or a container with another working directory would otherwise find no settings.
    /// </summary>
    private static string? ContentRoot(string[] args) =>
        args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"))
            ? null
            : AppContext.BaseDirectory;

    /// <summary>
    /// Builds the server without starting it, so that tests can start it in-process.
    /// </summary>
    /// <param name="args">Command-line arguments, which override environment variables and appsettings.json.</param>
    /// <param name="configureServices">Changes to the services after the sample's own, for tests.</param>
    /// <returns>The application, ready to start.</returns>
    /// <exception cref="InvalidOperationException">A setting cannot be used; the message names it.</exception>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot(args) });
        SampleSettings? settings = null;
        WebApplication? app = null;
        try
        {
            settings = SampleSettings.Apply(builder.Configuration);
            app = Build(builder, settings, configureServices);

            // Bind and validate every option and load the keys now, so that a bad setting is reported here as one line
            // rather than as the host's start-up failure with its stack trace.
            app.Services.GetService<IStartupValidator>()?.Validate();
            _ = app.Services.GetRequiredService<ISessionIssuer>();
            _ = app.Services.GetRequiredService<ISessionValidator>();
            if (settings.SecretGenerated)
            {
                SampleLog.GeneratedSecret(app.Logger);
            }

            if (settings.GeneratedKeyId is { } keyId)
            {
                SampleLog.GeneratedKey(app.Logger, builder.Configuration["JWT_ALGORITHM"]!, keyId);
            }

            if (settings.SecretBesideAsymmetricKey is { } secret)
            {
                SampleLog.SecretBesideAsymmetricKey(app.Logger, secret, builder.Configuration["JWT_ALGORITHM"]!);
            }

            if (settings.ApiKey is null)
            {
                SampleLog.NoApiKey(app.Logger);
            }

            return app;
        }
#pragma warning disable CA1031 // Every start-up failure becomes one InvalidOperationException whose message names the setting.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            (app as IDisposable)?.Dispose();
            throw new InvalidOperationException(StartupFailure.Describe(ex, builder.Configuration, settings), ex);
        }
    }

    private static WebApplication Build(WebApplicationBuilder builder, SampleSettings settings, Action<IServiceCollection>? configureServices)
    {
        SampleLogging.Add(builder);
        SampleClosedServices.Add(builder.Services);   // for the Native AOT build's start-up

        // Kestrel speaks HTTP/2 without TLS (h2c, what gRPC clients use here) only on an HTTP/2-only endpoint, and an
        // endpoint without TLS cannot offer both. JWKS and discovery clients use HTTP/1.1, so they get a second
        // listener. Both serve every endpoint; the first one is the gRPC one.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(settings.Address, settings.Port, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(settings.Address, settings.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton(settings);

        // A failed start (a port in use) is reported by Main as one line; the host's own report of it, with the stack
        // trace, is left out. Its later errors (a failed stop) are kept.
        var started = false;
        builder.Logging.AddFilter(HostCategory, level => level >= LogLevel.Information && (Volatile.Read(ref started) || level < LogLevel.Error));

        builder.Services.AddSessions();   // binds the Sessions section (Sessions__Secret, Sessions__Store__..., appsettings.json)
        SampleRedis.Add(builder.Services, builder.Configuration, settings);   // SESSIONS_REDIS: the Redis store instead of memory; SESSIONS_EVENTS
        SampleAccess.Add(builder.Services, settings);   // SESSIONS_API_KEY for the privileged calls (Create, Revoke by session_id, ...)
        SampleTelemetry.Add(builder);
        SampleReflection.Add(builder.Services);
        SampleJsonTranscoding.Add(builder.Services);   // POST /v1/sessions, /v1/sessions:validate, ... as JSON on HTTP_PORT
        // The checks themselves come from the packages that own what they check (sessions-keys from AddSessions(),
        // sessions-store from AddRedisStore() with SESSIONS_REDIS).
        builder.Services.AddGrpcHealthChecks();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        LeaveOutAuthorizationMiddleware(app);
        app.Lifetime.ApplicationStarted.Register(() => Volatile.Write(ref started, true));
        var sessions = app.MapSessions();
        SampleReflection.Map(app);
        app.MapGrpcHealthChecksService();
        // For probes that do not speak gRPC (HTTP load balancers, Docker, Kubernetes httpGet): every registered check,
        // 200 when Healthy or Degraded, 503 when Unhealthy; the gRPC health service says SERVING and NOT_SERVING alike.
        app.MapHealthChecks("/healthz");
        SampleJsonTranscoding.Map(app, sessions);
        return app;
    }

    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>
    /// Keeps ASP.NET Core's authentication and authorization middleware out of the request pipeline. No endpoint of the
    /// sample carries authorization metadata: the privileged calls are checked by the service edge (the key of
    /// <c>SESSIONS_API_KEY</c>, or without one the policy that refuses them). <see cref="WebApplication"/> would still
    /// run both middleware in front of every request because their services exist, about 3,200 instructions per call, a tenth of what the
    /// service's own work costs (benchmarks/results/2026-12-01-instructions.md). WebApplication leaves out what the
    /// application says it has placed, under these keys. This cannot open anything: an endpoint with authorization
    /// metadata mapped later is refused by the endpoint middleware (it throws, the caller gets 500, instead of serving
    /// it unchecked). A host that copies the sample and maps such endpoints drops this call, or places the middleware
    /// itself (<c>UseRouting()</c>, then <c>UseAuthentication()</c> and <c>UseAuthorization()</c>).
    /// </summary>
    private static void LeaveOutAuthorizationMiddleware(WebApplication app)
    {
        var properties = ((IApplicationBuilder)app).Properties;
        properties["__AuthenticationMiddlewareSet"] = true;
        properties["__AuthorizationMiddlewareSet"] = true;
    }
}

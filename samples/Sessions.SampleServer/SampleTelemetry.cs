using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Sessions.SampleServer;

/// <summary>
/// Optional OpenTelemetry export of the sessions metrics and traces, off by default: set <c>SESSIONS_TELEMETRY</c> to
/// <c>console</c> (print to the console) or <c>otlp</c> (send to the collector named by the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, default <c>http://localhost:4317</c>). The resource's <c>service.name</c> is
/// <see cref="DefaultServiceName"/> unless the standard <c>OTEL_SERVICE_NAME</c> names another.
/// </summary>
public static class SampleTelemetry
{
    /// <summary>The <c>service.name</c> of the exported telemetry when <c>OTEL_SERVICE_NAME</c> is not set: <c>sessions</c>.</summary>
    public const string DefaultServiceName = "sessions";

    /// <summary>Adds the exporter <c>SESSIONS_TELEMETRY</c> asks for, if any.</summary>
    /// <param name="builder">The host builder.</param>
    /// <exception cref="InvalidOperationException"><c>SESSIONS_TELEMETRY</c> has a value other than off, console or otlp.</exception>
    public static void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var exporter = builder.Configuration["SESSIONS_TELEMETRY"]?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(exporter) || exporter == "OFF")
        {
            return;
        }

        if (exporter is not ("CONSOLE" or "OTLP"))
        {
            throw new InvalidOperationException($"SESSIONS_TELEMETRY '{builder.Configuration["SESSIONS_TELEMETRY"]}' is not one of off, console, otlp.");
        }

        // Read from the configuration (environment and command line alike), since a service name set in code would
        // otherwise win over the OTEL_SERVICE_NAME the SDK reads itself.
        var named = builder.Configuration["OTEL_SERVICE_NAME"];
        var serviceName = string.IsNullOrWhiteSpace(named) ? DefaultServiceName : named.Trim();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddSessionsInstrumentation().AddAspNetCoreInstrumentation();
                if (exporter == "CONSOLE")
                {
                    metrics.AddConsoleExporter();
                }
                else
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSessionsInstrumentation().AddAspNetCoreInstrumentation();
                if (exporter == "CONSOLE")
                {
                    tracing.AddConsoleExporter();
                }
                else
                {
                    tracing.AddOtlpExporter();
                }
            });
    }
}

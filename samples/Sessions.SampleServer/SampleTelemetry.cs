using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Sessions.Grpc;

namespace Sessions.SampleServer;

/// <summary>
/// Optional OpenTelemetry export of the sessions metrics and traces, off by default: set <c>SESSIONS_TELEMETRY</c> to
/// <c>console</c> (print to the console) or <c>otlp</c> (send to the collector named by the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, default <c>http://localhost:4317</c>).
/// </summary>
public static class SampleTelemetry
{
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

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(SessionsTelemetry.MeterName).AddAspNetCoreInstrumentation();
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
                tracing.AddSource(SessionsTelemetry.ActivitySourceName).AddAspNetCoreInstrumentation();
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

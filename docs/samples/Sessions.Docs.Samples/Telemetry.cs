using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DocsSamples;

public static class Telemetry
{
    public static void Add(WebApplicationBuilder builder)
    {
        // <opentelemetry>
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: "sessions"))
            .WithMetrics(metrics => metrics.AddSessionsInstrumentation().AddOtlpExporter())
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSessionsInstrumentation().AddOtlpExporter());
        // </opentelemetry>
    }
}

using Sessions;

namespace OpenTelemetry.Metrics;

/// <summary>Subscribes an OpenTelemetry meter provider to the metrics of the sessions service.</summary>
public static class SessionsMeterProviderBuilderExtensions
{
    /// <summary>
    /// Adds the meter <see cref="SessionsTelemetryNames.MeterName"/> (<c>Sessions.Grpc</c>): the histogram
    /// <c>rpc.server.call.duration</c> (seconds; <c>rpc.system</c>, <c>rpc.service</c>, <c>rpc.method</c>,
    /// <c>rpc.grpc.status_code</c>, <c>error.type</c>) and the counters <c>sessions.issued</c>,
    /// <c>sessions.validations</c>, <c>sessions.refreshes</c>, <c>sessions.revocations</c> and
    /// <c>sessions.requests.unreadable</c> (requests refused before their service could read them). Calling it twice is harmless.
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static MeterProviderBuilder AddSessionsInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(SessionsTelemetryNames.MeterName);
    }
}

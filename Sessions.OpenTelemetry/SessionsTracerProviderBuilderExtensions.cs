using Sessions;

namespace OpenTelemetry.Trace;

/// <summary>Subscribes an OpenTelemetry tracer provider to the traces of the sessions service.</summary>
public static class SessionsTracerProviderBuilderExtensions
{
    /// <summary>
    /// Adds the activity source <see cref="SessionsTelemetryNames.ActivitySourceName"/> (<c>Sessions.Grpc</c>): one
    /// span per call, <c>sessions.Sessions/Create</c>, <c>sessions.Sessions/Validate</c>, ..., with <c>rpc.system</c>,
    /// <c>rpc.service</c>, <c>rpc.method</c>, <c>rpc.grpc.status_code</c>, <c>sessions.outcome</c>,
    /// <c>sessions.session_id</c> and, on failure, <c>error.type</c>. Calling it twice is harmless.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TracerProviderBuilder AddSessionsInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(SessionsTelemetryNames.ActivitySourceName);
    }
}

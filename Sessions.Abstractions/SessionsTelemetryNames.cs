namespace Sessions;

/// <summary>
/// The names under which the sessions service publishes its metrics and traces, in the lowest layer, so that
/// whatever subscribes to them (<c>AddSessionsInstrumentation()</c> of Sessions.OpenTelemetry, a
/// <see cref="System.Diagnostics.Metrics.MeterListener"/>, <c>dotnet-counters</c>) needs neither gRPC nor ASP.NET Core.
/// </summary>
public static class SessionsTelemetryNames
{
    /// <summary>The name of the meter of the sessions service: <c>Sessions.Grpc</c>.</summary>
    public const string MeterName = "Sessions.Grpc";

    /// <summary>The name of the activity source of the sessions service: <c>Sessions.Grpc</c>.</summary>
    public const string ActivitySourceName = "Sessions.Grpc";
}

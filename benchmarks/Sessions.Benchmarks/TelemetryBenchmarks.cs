using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Grpc;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Calls;

namespace Sessions.Benchmarks;

/// <summary>
/// The cost of the service edge's telemetry per call: <c>SessionsTelemetry.CallCompleted</c> (the duration with its
/// <c>rpc.*</c> and <c>error.type</c> attributes, and the counter) and the call's span. Baseline: nobody listens,
/// what most hosts pay. The other rows: a <see cref="MeterListener"/> subscribed to every instrument (what an
/// OpenTelemetry meter provider does), for a reply and for a refusal, and a span with an <see cref="ActivityListener"/>
/// that records it. Goal: nothing allocated by the metrics rows; the span row allocates only the activity and its tags.
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    private static readonly CallOutcome s_expired = CallOutcome.Refused(SessionFailureReason.Expired);

    private ServiceProvider _quiet = null!;
    private ServiceProvider _heard = null!;
    private SessionsTelemetry _quietTelemetry = null!;
    private SessionsTelemetry _heardTelemetry = null!;
    private MeterListener _meterListener = null!;
    private ActivityListener? _activityListener;
    private long _measurements;

    [GlobalSetup]
    public void Setup()
    {
        _quiet = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _heard = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _quietTelemetry = new SessionsTelemetry(_quiet.GetRequiredService<IMeterFactory>());
        _heardTelemetry = new SessionsTelemetry(_heard.GetRequiredService<IMeterFactory>());
        var heardFactory = _heard.GetRequiredService<IMeterFactory>();
        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, heardFactory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<double>((_, _, _, _) => _measurements++);
        _meterListener.SetMeasurementEventCallback<long>((_, _, _, _) => _measurements++);
        _meterListener.Start();
    }

    [GlobalSetup(Target = nameof(Span_recorded))]
    public void SetupSpan()
    {
        Setup();
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SessionsTelemetryNames.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_activityListener);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _activityListener?.Dispose();
        _meterListener.Dispose();
        _quiet.Dispose();
        _heard.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Nobody_listens()
    {
        _quietTelemetry.CallCompleted(CallOperation.Validate, CallOutcome.Valid, StatusCode.OK, 0.00004);
        using var activity = SessionsTelemetry.StartActivity(CallOperation.Validate);
    }

    [Benchmark]
    public void Metrics_heard_reply() => _heardTelemetry.CallCompleted(CallOperation.Validate, CallOutcome.Valid, StatusCode.OK, 0.00004);

    [Benchmark]
    public void Metrics_heard_refusal() => _heardTelemetry.CallCompleted(CallOperation.Validate, s_expired, StatusCode.InvalidArgument, 0.00004);

    [Benchmark]
    public void Span_recorded()
    {
        using var activity = SessionsTelemetry.StartActivity(CallOperation.Validate)!;
        SessionsTelemetry.CallEnded(activity, CallOutcome.Valid, StatusCode.OK, "0f8fad5b-d9cb-469f-a165-70867728950e");
    }
}

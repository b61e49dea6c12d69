using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sessions.Grpc.Internal;

namespace Sessions.Grpc;

/// <summary>
/// The metrics and traces of the sessions service, taken at the service edge: one measurement and one activity per
/// call. Subscribe with <c>AddMeter(SessionsTelemetry.MeterName)</c> and <c>AddSource(SessionsTelemetry.ActivitySourceName)</c>
/// in OpenTelemetry.
/// </summary>
/// <remarks>
/// <para>Instruments (OpenTelemetry naming: lower-case, dot-separated, UCUM units):</para>
/// <list type="bullet">
/// <item><c>sessions.issued</c> (counter, <c>{session}</c>): sessions issued by <c>Create</c> (and <c>Refresh</c>).</item>
/// <item><c>sessions.validations</c> (counter, <c>{validation}</c>): <c>Validate</c> calls, tagged <c>sessions.outcome</c>
/// (<c>valid</c> or <c>refused</c>) and <c>sessions.failure_reason</c> (<c>expired</c>, <c>bad_signature</c>, ...).</item>
/// <item><c>sessions.revocations</c> (counter, <c>{revocation}</c>): revocation calls, tagged <c>sessions.outcome</c>.</item>
/// <item><c>sessions.refreshes</c> (counter, <c>{refresh}</c>): refresh calls, tagged <c>sessions.outcome</c>.</item>
/// <item><c>sessions.operation.duration</c> (histogram, <c>s</c>): every call, tagged <c>sessions.operation</c> and <c>sessions.outcome</c>.</item>
/// </list>
/// <para>Activities are named <c>sessions.Create</c>, <c>sessions.Validate</c>, ... with tags <c>sessions.outcome</c> and
/// <c>sessions.session_id</c>. No tag ever holds a token or key.</para>
/// </remarks>
public sealed class SessionsTelemetry
{
    /// <summary>The meter name: <c>Sessions.Grpc</c>.</summary>
    public const string MeterName = "Sessions.Grpc";

    /// <summary>The activity source name: <c>Sessions.Grpc</c>.</summary>
    public const string ActivitySourceName = "Sessions.Grpc";

    private static readonly ActivitySource s_activitySource = new(ActivitySourceName, typeof(SessionsTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly KeyValuePair<string, object?> s_ok = new("sessions.outcome", "ok");
    private static readonly KeyValuePair<string, object?> s_valid = new("sessions.outcome", "valid");
    private static readonly KeyValuePair<string, object?> s_refused = new("sessions.outcome", "refused");
    private static readonly KeyValuePair<string, object?> s_refreshed = new("sessions.outcome", "refreshed");
    private static readonly KeyValuePair<string, object?> s_revoked = new("sessions.outcome", "revoked");
    private static readonly KeyValuePair<string, object?> s_noFailureReason = new("sessions.failure_reason", null);

    private readonly Counter<long> _issued;
    private readonly Counter<long> _validations;
    private readonly Counter<long> _revocations;
    private readonly Counter<long> _refreshes;
    private readonly Histogram<double> _duration;

    internal SessionsTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName, typeof(SessionsTelemetry).Assembly.GetName().Version?.ToString());
        _issued = meter.CreateCounter<long>("sessions.issued", "{session}", "Sessions issued.");
        _validations = meter.CreateCounter<long>("sessions.validations", "{validation}", "Tokens validated, by outcome and failure reason.");
        _revocations = meter.CreateCounter<long>("sessions.revocations", "{revocation}", "Revocation calls, by outcome.");
        _refreshes = meter.CreateCounter<long>("sessions.refreshes", "{refresh}", "Refresh calls, by outcome.");
        _duration = meter.CreateHistogram<double>("sessions.operation.duration", "s", "Duration of sessions service calls.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
    }

    internal static Activity? StartActivity(CallOperation operation) =>
        s_activitySource.HasListeners() ? s_activitySource.StartActivity(operation.ActivityName, ActivityKind.Internal) : null;

    /// <summary>
    /// Records one finished call: its duration, and the counter its operation feeds. Instruments nobody listens to
    /// are skipped before any tag is put together.
    /// </summary>
    /// <param name="operation">The RPC.</param>
    /// <param name="outcome">How it ended.</param>
    /// <param name="refused">Whether the call ended with a refusal or error rather than a reply.</param>
    /// <param name="seconds">The call's duration.</param>
    internal void CallCompleted(CallOperation operation, CallOutcome outcome, bool refused, double seconds)
    {
        if (_duration.Enabled)
        {
            _duration.Record(seconds, operation.Tag, refused ? outcome.OutcomeTag : s_ok);
        }

        switch (operation.Counter)
        {
            case CallCounter.Issued:
                AddIssued(refused);
                break;
            case CallCounter.Validations when _validations.Enabled:
                _validations.Add(1, refused ? s_refused : s_valid, refused ? outcome.FailureReasonTag : s_noFailureReason);
                break;
            case CallCounter.Refreshes:
                if (_refreshes.Enabled)
                {
                    _refreshes.Add(1, refused ? outcome.OutcomeTag : s_refreshed);
                }

                AddIssued(refused);
                break;
            case CallCounter.Revocations when _revocations.Enabled:
                _revocations.Add(1, refused ? outcome.OutcomeTag : s_revoked);
                break;
        }
    }

    private void AddIssued(bool refused)
    {
        if (!refused && _issued.Enabled)
        {
            _issued.Add(1);
        }
    }
}

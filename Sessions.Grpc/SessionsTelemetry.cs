using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Calls;
using Sessions.Grpc.Internal.Requests;

namespace Sessions.Grpc;

/// <summary>
/// The metrics and traces of the sessions service, taken at the service edge: one measurement and one activity per
/// call, named and tagged after the OpenTelemetry semantic conventions for RPC where they have a name for it.
/// Subscribe with <c>AddSessionsInstrumentation()</c> (Sessions.OpenTelemetry) on the meter and tracer provider
/// builders, or <c>AddMeter(SessionsTelemetryNames.MeterName)</c> and <c>AddSource(SessionsTelemetryNames.ActivitySourceName)</c>.
/// </summary>
/// <remarks>
/// <para>Instruments (lower-case, dot-separated, UCUM units):</para>
/// <list type="bullet">
/// <item><c>rpc.server.call.duration</c> (histogram, <c>s</c>): every call, measured at the service edge, tagged
/// <c>rpc.system</c> (<c>grpc</c>), <c>rpc.service</c> (<c>sessions.Sessions</c>), <c>rpc.method</c> (<c>Create</c>,
/// <c>Validate</c>, ...), <c>rpc.grpc.status_code</c> (0 for OK, 3 for InvalidArgument, ...) and, on failure,
/// <c>error.type</c> (the outcome: <c>expired</c>, <c>invalid_user_id</c>, <c>store_unavailable</c>, ...).</item>
/// <item><c>sessions.issued</c> (counter, <c>{session}</c>): sessions issued by <c>Create</c> (and <c>Refresh</c>).</item>
/// <item><c>sessions.validations</c> (counter, <c>{validation}</c>): <c>Validate</c> calls, tagged <c>sessions.outcome</c>
/// (<c>valid</c> or <c>refused</c>) and, when refused, <c>error.type</c> (<c>expired</c>, <c>bad_signature</c>, ...).</item>
/// <item><c>sessions.revocations</c> (counter, <c>{revocation}</c>): revocation calls, tagged <c>sessions.outcome</c>
/// and, when refused, <c>error.type</c>.</item>
/// <item><c>sessions.refreshes</c> (counter, <c>{refresh}</c>): refresh calls, tagged <c>sessions.outcome</c> and, when
/// refused, <c>error.type</c>.</item>
/// <item><c>sessions.requests.unreadable</c> (counter, <c>{request}</c>): requests refused before the service could read
/// them, which no other instrument sees, tagged <c>error.type</c> (<c>malformed_request</c>: not the method's protobuf
/// message; <c>malformed_frame</c>: broken gRPC framing; <c>malformed_compression</c>: data not in its
/// <c>grpc-encoding</c>, to any gRPC service of the host) and, when known, <c>rpc.service</c> and <c>rpc.method</c>
/// (<c>sessions.Sessions</c> and <c>Validate</c>, <c>grpc.health.v1.Health</c> and <c>Check</c>, ...).</item>
/// </list>
/// <para>
/// Activities are named <c>sessions.Sessions/Create</c>, <c>sessions.Sessions/Validate</c>, ... (<c>{rpc.service}/{rpc.method}</c>),
/// of kind <see cref="ActivityKind.Internal"/> below the server span of ASP.NET Core, with the tags <c>rpc.system</c>,
/// <c>rpc.service</c>, <c>rpc.method</c> (from the start, for samplers), <c>rpc.grpc.status_code</c>,
/// <c>sessions.outcome</c>, <c>sessions.session_id</c> when known and <c>error.type</c> on failure. Their status is
/// <see cref="ActivityStatusCode.Error"/> for the codes the conventions count as server errors (Unknown,
/// DeadlineExceeded, Unimplemented, Internal, Unavailable, DataLoss), <see cref="ActivityStatusCode.Ok"/> for a reply
/// and unset for a refusal of the caller's input. No tag ever holds a token or key.
/// </para>
/// <para>Nothing is put together for an instrument or source nobody listens to.</para>
/// </remarks>
public sealed class SessionsTelemetry
{
    /// <summary>The meter name: <c>Sessions.Grpc</c> (<see cref="SessionsTelemetryNames.MeterName"/>).</summary>
    public const string MeterName = SessionsTelemetryNames.MeterName;

    /// <summary>The activity source name: <c>Sessions.Grpc</c> (<see cref="SessionsTelemetryNames.ActivitySourceName"/>).</summary>
    public const string ActivitySourceName = SessionsTelemetryNames.ActivitySourceName;

    /// <summary>The <c>rpc.service</c> of every call: the full name of the service, <c>sessions.Sessions</c>.</summary>
    internal const string RpcService = "sessions.Sessions";

    /// <summary><c>rpc.system</c> = <c>grpc</c>.</summary>
    internal static readonly KeyValuePair<string, object?> RpcSystemTag = new("rpc.system", "grpc");

    /// <summary><c>rpc.service</c> = <c>sessions.Sessions</c>.</summary>
    internal static readonly KeyValuePair<string, object?> RpcServiceTag = new("rpc.service", RpcService);

    private const string StatusCodeKey = "rpc.grpc.status_code";

    /// <summary>The tag of a call's method: <c>rpc.method</c>.</summary>
    internal const string RpcMethodKey = "rpc.method";

    /// <summary>The tag of why a call failed: <c>error.type</c>.</summary>
    internal const string ErrorTypeKey = "error.type";

    private static readonly ActivitySource s_activitySource = new(ActivitySourceName, typeof(SessionsTelemetry).Assembly.GetName().Version?.ToString());

    // Boxed once: the status code is an int attribute, and a box per call would be an allocation per call.
    private static readonly KeyValuePair<string, object?>[] s_statusCodes =
        [.. Enumerable.Range(0, (int)StatusCode.Unauthenticated + 1).Select(code => new KeyValuePair<string, object?>(StatusCodeKey, code))];

    private static readonly KeyValuePair<string, object?> s_valid = new("sessions.outcome", "valid");
    private static readonly KeyValuePair<string, object?> s_refused = new("sessions.outcome", "refused");
    private static readonly KeyValuePair<string, object?> s_refreshed = new("sessions.outcome", "refreshed");
    private static readonly KeyValuePair<string, object?> s_revoked = new("sessions.outcome", "revoked");

    private readonly Counter<long> _issued;
    private readonly Counter<long> _validations;
    private readonly Counter<long> _revocations;
    private readonly Counter<long> _refreshes;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _unreadable;

    internal SessionsTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName, typeof(SessionsTelemetry).Assembly.GetName().Version?.ToString());
        _issued = meter.CreateCounter<long>("sessions.issued", "{session}", "Sessions issued.");
        _validations = meter.CreateCounter<long>("sessions.validations", "{validation}", "Tokens validated, by outcome and failure reason.");
        _revocations = meter.CreateCounter<long>("sessions.revocations", "{revocation}", "Revocation calls, by outcome.");
        _refreshes = meter.CreateCounter<long>("sessions.refreshes", "{refresh}", "Refresh calls, by outcome.");
        _unreadable = meter.CreateCounter<long>("sessions.requests.unreadable", "{request}", "Requests refused before the service could read them, by reason.");
        _duration = meter.CreateHistogram<double>("rpc.server.call.duration", "s", "Duration of sessions service calls, measured at the service edge.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
    }

    internal static Activity? StartActivity(CallOperation operation) =>
        s_activitySource.HasListeners() ? s_activitySource.StartActivity(operation.ActivityName, ActivityKind.Internal, parentContext: default, tags: operation.ActivityTags) : null;

    /// <summary>Tags and ends the status of a call's activity.</summary>
    /// <param name="activity">The call's activity.</param>
    /// <param name="outcome">How it ended.</param>
    /// <param name="status">Its gRPC status.</param>
    /// <param name="sessionId">The session id, once known.</param>
    internal static void CallEnded(Activity activity, CallOutcome outcome, StatusCode status, string? sessionId)
    {
        activity.SetTag(StatusCodeKey, StatusCodeTag(status).Value);
        activity.SetTag("sessions.outcome", outcome.Name);
        if (sessionId is not null)
        {
            activity.SetTag("sessions.session_id", sessionId);
        }

        if (status == StatusCode.OK)
        {
            activity.SetStatus(ActivityStatusCode.Ok);
            return;
        }

        activity.SetTag(outcome.ErrorTypeTag.Key, outcome.ErrorTypeTag.Value);
        if (status is StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Unimplemented or StatusCode.Internal or StatusCode.Unavailable or StatusCode.DataLoss)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome.Name);
        }
    }

    /// <summary>
    /// Records one finished call: its duration, and the counter its operation feeds. Instruments nobody listens to
    /// are skipped before any tag is put together.
    /// </summary>
    /// <param name="operation">The RPC.</param>
    /// <param name="outcome">How it ended.</param>
    /// <param name="status">Its gRPC status: <see cref="StatusCode.OK"/> for a reply.</param>
    /// <param name="seconds">The call's duration.</param>
    internal void CallCompleted(CallOperation operation, CallOutcome outcome, StatusCode status, double seconds)
    {
        var refused = status != StatusCode.OK;
        if (_duration.Enabled)
        {
            var tags = new TagList { RpcSystemTag, RpcServiceTag, operation.Tag, StatusCodeTag(status) };
            if (refused)
            {
                tags.Add(outcome.ErrorTypeTag);
            }

            _duration.Record(seconds, in tags);
        }

        switch (operation.Counter)
        {
            case CallCounter.Issued:
                AddIssued(refused);
                break;
            case CallCounter.Validations when _validations.Enabled:
                if (refused)
                {
                    _validations.Add(1, s_refused, outcome.ErrorTypeTag);
                }
                else
                {
                    _validations.Add(1, s_valid);
                }

                break;
            case CallCounter.Refreshes:
                AddOutcome(_refreshes, refused, outcome, s_refreshed);
                AddIssued(refused);
                break;
            case CallCounter.Revocations:
                AddOutcome(_revocations, refused, outcome, s_revoked);
                break;
        }
    }

    /// <summary>Counts a request refused before the service could read it (<see cref="UnreadableRequests"/>).</summary>
    /// <param name="service">The gRPC service of the host the request was routed to (<c>sessions.Sessions</c>, ...), when known.</param>
    /// <param name="operation">The method (<c>Create</c>, ...), when known.</param>
    /// <param name="errorType">Why: <c>malformed_request</c>, <c>malformed_frame</c> or <c>malformed_compression</c>.</param>
    internal void RequestUnreadable(string? service, string? operation, string errorType)
    {
        if (!_unreadable.Enabled)
        {
            return;
        }

        var error = new KeyValuePair<string, object?>(ErrorTypeKey, errorType);
        if (service is null || operation is null)
        {
            _unreadable.Add(1, error);
        }
        else
        {
            _unreadable.Add(1, error, new KeyValuePair<string, object?>(RpcServiceTag.Key, service), new KeyValuePair<string, object?>(RpcMethodKey, operation));
        }
    }

    private static KeyValuePair<string, object?> StatusCodeTag(StatusCode status) =>
        (uint)status < (uint)s_statusCodes.Length ? s_statusCodes[(int)status] : new(StatusCodeKey, (int)status);

    private static void AddOutcome(Counter<long> counter, bool refused, CallOutcome outcome, KeyValuePair<string, object?> success)
    {
        if (!counter.Enabled)
        {
            return;
        }

        if (refused)
        {
            counter.Add(1, outcome.OutcomeTag, outcome.ErrorTypeTag);
        }
        else
        {
            counter.Add(1, success);
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

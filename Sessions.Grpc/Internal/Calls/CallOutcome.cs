using Grpc.Core;

namespace Sessions.Grpc.Internal.Calls;

/// <summary>
/// How a call of the sessions service ended, as its log line, metrics and activity name it: one instance per outcome,
/// made once, with its <c>sessions.outcome</c> and <c>error.type</c> tags ready. The handlers set one
/// of these; the names are the stable vocabulary dashboards and alerts are built on.
/// </summary>
internal sealed class CallOutcome
{
    public static readonly CallOutcome Issued = new("issued");
    public static readonly CallOutcome Valid = new("valid");
    public static readonly CallOutcome Published = new("published");
    public static readonly CallOutcome Refreshed = new("refreshed");
    public static readonly CallOutcome RefreshedWithinGracePeriod = new("refreshed_within_grace_period");
    public static readonly CallOutcome RefreshTokenMissing = new(RefreshFailureStatus.MissingName);
    public static readonly CallOutcome Revoked = new("revoked");
    public static readonly CallOutcome RevokedAll = new("revoked_all");
    public static readonly CallOutcome Listed = new("listed");
    public static readonly CallOutcome InvalidUserId = new("invalid_user_id");
    public static readonly CallOutcome InvalidSessionId = new("invalid_session_id");
    public static readonly CallOutcome InvalidClaims = new("invalid_claims");
    public static readonly CallOutcome ClaimsOverLimits = new("claims_over_limits");
    public static readonly CallOutcome MissingTarget = new("missing_target");
    public static readonly CallOutcome InvalidClientDescription = new("invalid_client_description");
    public static readonly CallOutcome StoreLimit = new("store_limit");
    public static readonly CallOutcome Unimplemented = new("unimplemented");
    public static readonly CallOutcome StoreUnavailable = new("store_unavailable");
    public static readonly CallOutcome Cancelled = new("cancelled");
    public static readonly CallOutcome Unauthenticated = new("unauthenticated");   // a privileged call without credentials
    public static readonly CallOutcome PermissionDenied = new("permission_denied");   // a privileged call the policy refused
    public static readonly CallOutcome InternalError = new("internal_error");
    public static readonly CallOutcome Unknown = new("unknown");

    private static readonly CallOutcome[] s_failures = Index<SessionFailureReason>(r => new(SessionFailureStatus.GetName(r)));
    private static readonly CallOutcome[] s_refreshFailures = Index<RefreshTokenRotationStatus>(s => new(RefreshFailureStatus.GetName(s)));
    private static readonly CallOutcome[] s_statuses = Index<StatusCode>(code => new(code.ToString()));

    private CallOutcome(string name)
    {
        Name = name;
        OutcomeTag = new("sessions.outcome", name);
        ErrorTypeTag = new(SessionsTelemetry.ErrorTypeKey, name);
    }

    /// <summary>The outcome's name: <c>issued</c>, <c>valid</c>, a failure reason (<c>expired</c>), a status code name.</summary>
    public string Name { get; }

    /// <summary><c>sessions.outcome</c> = <see cref="Name"/>.</summary>
    public KeyValuePair<string, object?> OutcomeTag { get; }

    /// <summary><c>error.type</c> = <see cref="Name"/>, for a call that did not end with a reply.</summary>
    public KeyValuePair<string, object?> ErrorTypeTag { get; }

    /// <summary>A token refused for <paramref name="reason"/>.</summary>
    public static CallOutcome Refused(SessionFailureReason reason) => Lookup(s_failures, (int)reason, () => new(SessionFailureStatus.GetName(reason)));

    /// <summary>A refresh token refused with <paramref name="status"/>.</summary>
    public static CallOutcome RefreshRefused(RefreshTokenRotationStatus status) => Lookup(s_refreshFailures, (int)status, () => new(RefreshFailureStatus.GetName(status)));

    /// <summary>A call that ended with an <see cref="RpcException"/> nobody named an outcome for.</summary>
    public static CallOutcome FromStatus(StatusCode code) => Lookup(s_statuses, (int)code, () => new(code.ToString()));

    public override string ToString() => Name;

    private static CallOutcome Lookup(CallOutcome[] table, int index, Func<CallOutcome> make) =>
        (uint)index < (uint)table.Length && table[index] is { } known ? known : make();

    private static CallOutcome[] Index<TEnum>(Func<TEnum, CallOutcome> make)
        where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        var table = new CallOutcome[values.Max(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)) + 1];
        foreach (var value in values)
        {
            table[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)] = make(value);
        }

        return table;
    }
}

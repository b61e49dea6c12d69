namespace Sessions.Grpc.Internal;

/// <summary>
/// One RPC of the sessions service as the service edge records it: its name for the log, its activity name and metric
/// tag, made once, and the counter it feeds. The edge and the telemetry read these instead of comparing names.
/// </summary>
internal sealed class CallOperation
{
    public static readonly CallOperation Create = new("Create", CallCounter.Issued);
    public static readonly CallOperation Validate = new("Validate", CallCounter.Validations);
    public static readonly CallOperation GetKeys = new("GetKeys", CallCounter.None);
    public static readonly CallOperation Refresh = new("Refresh", CallCounter.Refreshes);
    public static readonly CallOperation Revoke = new("Revoke", CallCounter.Revocations);
    public static readonly CallOperation RevokeAll = new("RevokeAll", CallCounter.Revocations);
    public static readonly CallOperation ListSessions = new("ListSessions", CallCounter.None);

    private CallOperation(string name, CallCounter counter)
    {
        Name = name;
        ActivityName = "sessions." + name;
        Tag = new("sessions.operation", name);
        Counter = counter;
    }

    /// <summary>The RPC's name: <c>Create</c>, <c>Validate</c>, ...</summary>
    public string Name { get; }

    /// <summary>The name of its activity: <c>sessions.Create</c>, ...</summary>
    public string ActivityName { get; }

    /// <summary>The <c>sessions.operation</c> tag of its duration.</summary>
    public KeyValuePair<string, object?> Tag { get; }

    /// <summary>The counter a call of it adds to.</summary>
    public CallCounter Counter { get; }

    public override string ToString() => Name;
}

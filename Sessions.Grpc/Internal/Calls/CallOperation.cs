namespace Sessions.Grpc.Internal.Calls;

/// <summary>
/// One RPC of the sessions service as the service edge records it: its name for the log, its span name and
/// <c>rpc.method</c> tag (OpenTelemetry semantic conventions), made once, and the counter it feeds. The edge and the telemetry read these instead of comparing names.
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
        ActivityName = SessionsTelemetry.RpcService + "/" + name;
        Tag = new(SessionsTelemetry.RpcMethodKey, name);
        ActivityTags = [SessionsTelemetry.RpcSystemTag, SessionsTelemetry.RpcServiceTag, Tag];
        Counter = counter;
    }

    /// <summary>The RPC's name: <c>Create</c>, <c>Validate</c>, ...</summary>
    public string Name { get; }

    /// <summary>The name of its activity, <c>{rpc.service}/{rpc.method}</c>: <c>sessions.Sessions/Create</c>, ...</summary>
    public string ActivityName { get; }

    /// <summary>Its <c>rpc.method</c> tag: <c>Create</c>, ...</summary>
    public KeyValuePair<string, object?> Tag { get; }

    /// <summary>The tags its activity starts with: <c>rpc.system</c>, <c>rpc.service</c>, <c>rpc.method</c>.</summary>
    public KeyValuePair<string, object?>[] ActivityTags { get; }

    /// <summary>The counter a call of it adds to.</summary>
    public CallCounter Counter { get; }

    public override string ToString() => Name;
}

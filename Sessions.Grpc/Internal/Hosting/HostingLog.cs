using Microsoft.Extensions.Logging;

namespace Sessions.Grpc.Internal.Hosting;

/// <summary>What the sessions service says about its host: at start-up, and when its settings are reloaded (event ids 20+).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 20, EventName = "NoHttp2Endpoint", Level = LogLevel.Warning,
        Message = "No endpoint of this host serves HTTP/2, which gRPC needs: {Addresses} answered with HTTP/1.1, so gRPC clients will fail with 'Protocol error'. " +
        "Without TLS Kestrel speaks HTTP/2 only on an HTTP/2-only endpoint: set Kestrel:EndpointDefaults:Protocols to Http2 " +
        "(Kestrel__EndpointDefaults__Protocols=Http2 in the environment), listen with HttpProtocols.Http2, or use https:// (TLS).")]
    public static partial void NoHttp2Endpoint(ILogger logger, string addresses);

    [LoggerMessage(EventId = 21, EventName = "GrpcWebOnlyEndpoints", Level = LogLevel.Information,
        Message = "No endpoint of this host serves HTTP/2: {Addresses} answered with HTTP/1.1, so sessions.Sessions is reachable over gRPC-Web " +
        "(AddGrpcWeb()) only, and gRPC clients over HTTP/2 will fail with 'Protocol error'. To serve both, give the host two endpoints, " +
        "one for gRPC-Web and one HTTP/2-only for gRPC (Kestrel:Endpoints:<name>:Url, and Kestrel:Endpoints:<name>:Protocols Http1 and Http2), " +
        "listen on the second with HttpProtocols.Http2, or use https:// (TLS).")]
    public static partial void GrpcWebOnlyEndpoints(ILogger logger, string addresses);

    [LoggerMessage(EventId = 22, EventName = "SettingsNotApplied", Level = LogLevel.Error,
        Message = "The reloaded Sessions settings are not valid and were not applied; the previous ones stay in force until they are fixed: {Errors}")]
    public static partial void SettingsNotApplied(ILogger logger, string errors);

    [LoggerMessage(EventId = 23, EventName = "UnknownSetting", Level = LogLevel.Warning,
        Message = "{Setting} is not a setting of the sessions service and is ignored: check its name against docs/configuration.md " +
        "(a key's own settings, such as its Algorithm, go under Sessions:Keys:n; the store's under Sessions:Store).")]
    public static partial void UnknownSetting(ILogger logger, string setting);

    [LoggerMessage(EventId = 24, EventName = "FallbackPolicyApplies", Level = LogLevel.Warning,
        Message = "The host's fallback authorization policy applies to sessions.Sessions ({Methods}), mapped without an authorization convention: " +
        "every call that does not authenticate with the host's schemes is refused before the service sees it (HTTP 401, Unauthenticated), " +
        "Validate, GetKeys and Refresh included, and so is a caller sending only the x-api-key of Sessions:ApiKey. " +
        "To keep them open as the service means them (the privileged calls still need Sessions:ApiKey or Sessions:PrivilegedPolicy), " +
        "map it with app.MapSessions().AllowAnonymous(); to require the host's policy there, map it with app.MapSessions().RequireAuthorization(...).")]
    public static partial void FallbackPolicyApplies(ILogger logger, string methods);
}

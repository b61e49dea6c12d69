using Microsoft.Extensions.Logging;

namespace Sessions.Grpc.Internal;

/// <summary>What the sessions service says about its host at start-up (event ids 20+).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 20, EventName = "NoHttp2Endpoint", Level = LogLevel.Warning,
        Message = "No endpoint of this host serves HTTP/2, which gRPC needs: {Addresses} answered with HTTP/1.1, so gRPC clients will fail with 'Protocol error'. " +
        "Without TLS Kestrel speaks HTTP/2 only on an HTTP/2-only endpoint: set Kestrel:EndpointDefaults:Protocols to Http2 " +
        "(Kestrel__EndpointDefaults__Protocols=Http2 in the environment), listen with HttpProtocols.Http2, or use https:// (TLS).")]
    public static partial void NoHttp2Endpoint(ILogger logger, string addresses);
}

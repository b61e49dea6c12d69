using Microsoft.Extensions.Logging;
using Sessions.Grpc.Internal.Calls;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// Records a request refused before the service could read it: one line in the log and one count on
/// <c>sessions.requests.unreadable</c>, tagged with the reason (<see cref="MalformedRequest"/>,
/// <see cref="MalformedFrame"/>, <see cref="MalformedCompression"/>) and, when known, the service and method. Such requests never
/// reach the service edge, which records every other call.
/// </summary>
internal sealed class UnreadableRequests(ILogger<SessionsService> logger, SessionsTelemetry telemetry)
{
    /// <summary>The request's bytes are not its protobuf message.</summary>
    public const string MalformedRequest = "malformed_request";

    /// <summary>
    /// The gRPC framing is broken: a compressed flag other than 0 or 1 (or 1 with no compression named), a length past
    /// 2^31 - 1, a body that ends inside a frame, a unary or server-streaming request that is not exactly one message.
    /// </summary>
    public const string MalformedFrame = "malformed_frame";

    /// <summary>The message's data is not in the format its <c>grpc-encoding</c> names.</summary>
    public const string MalformedCompression = "malformed_compression";

    /// <summary>A request to <paramref name="operation"/> of the sessions service that is not its protobuf message.</summary>
    public void Malformed(string operation, string message)
    {
        SessionsLog.MalformedRequest(logger, operation, message);
        telemetry.RequestUnreadable(SessionsTelemetry.RpcService, operation, MalformedRequest);
    }

    /// <summary>
    /// A request whose framing or compressed data is broken, to the method <paramref name="operation"/> of the gRPC
    /// service <paramref name="service"/> (any of the host's) when known.
    /// </summary>
    public void Refused(string? service, string? operation, string reason, string message)
    {
        SessionsLog.UnreadableRequest(logger, message);
        telemetry.RequestUnreadable(service, operation, reason);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sessions.Grpc.Internal;

/// <summary>
/// Lets grpc-dotnet read each gRPC request (<c>application/grpc</c>) of the host through a
/// <see cref="GrpcFrameHeaderReader"/>, which answers the two frame headers grpc-dotnet cannot report — a compressed
/// flag other than 0 or 1, a length past 2^31 - 1 — with a status. grpc-dotnet alone answers them <c>UNKNOWN</c>
/// ("Exception was thrown by handler.") and logs an error with its stack trace, for every such request to any of the
/// host's gRPC services (health checks and reflection are open to anyone), with no credentials needed.
/// </summary>
/// <remarks>
/// It runs first in the host's pipeline (<see cref="GrpcFrameHeaderCheckStartupFilter"/>), so that it covers every
/// gRPC service of the host; it costs about 1,500 instructions per call, mostly the reader's allocation and the
/// replaced feature (benchmarks/results/2026-12-06-instructions-unreadable-requests.md). gRPC-Web requests (<c>application/grpc-web</c>, translated later) are left as they are, and
/// of a streamed request only the first frame is checked.
/// </remarks>
internal sealed class GrpcFrameHeaderCheck(RequestDelegate next, UnreadableRequests unreadable)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (IsGrpc(context.Request.ContentType))
        {
            var body = context.Features.Get<IRequestBodyPipeFeature>();
            if (body is not null)
            {
                context.Features.Set<IRequestBodyPipeFeature>(new GrpcFrameHeaderReader(body.Reader, context, unreadable));
            }
        }

        return next(context);
    }

    private static bool IsGrpc(string? contentType) =>
        contentType is not null &&
        contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) &&
        (contentType.Length == "application/grpc".Length || contentType["application/grpc".Length] is '+' or ';');
}

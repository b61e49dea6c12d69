using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Sessions.Grpc.Internal;

/// <summary>
/// Puts a <see cref="GrpcFrameHeaderReader"/> between each request to the sessions service and grpc-dotnet, which
/// cannot report two broken frame headers — a compressed flag other than 0 or 1, a length past 2^31 - 1 — and answers
/// them with <c>UNKNOWN</c> ("Exception was thrown by handler.") and an error with its stack trace in the log, for
/// every such request, with no credentials needed. Wraps the handler of each endpoint <c>MapSessions()</c> maps.
/// </summary>
internal sealed class GrpcFrameHeaderCheck(RequestDelegate next, ILogger logger)
{
    /// <summary>Puts the check in front of <paramref name="endpoint"/>'s handler.</summary>
    public static void Wrap(EndpointBuilder endpoint, ILogger logger)
    {
        if (endpoint.RequestDelegate is { } handler)
        {
            endpoint.RequestDelegate = new GrpcFrameHeaderCheck(handler, logger).InvokeAsync;
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        // gRPC-Web arrives here already translated to application/grpc; JSON transcoding has endpoints of its own.
        if (IsGrpc(context.Request.ContentType))
        {
            context.Features.Set<IRequestBodyPipeFeature>(new GrpcFrameHeaderReader(context.Request.BodyReader, logger));
        }

        return next(context);
    }

    private static bool IsGrpc(string? contentType) =>
        contentType is not null &&
        contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) &&
        (contentType.Length == "application/grpc".Length || contentType["application/grpc".Length] is '+' or ';');
}

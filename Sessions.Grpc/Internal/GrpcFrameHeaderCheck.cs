using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Grpc.AspNetCore.Server;

namespace Sessions.Grpc.Internal;

/// <summary>
/// Puts a <see cref="GrpcFrameHeaderReader"/> between each request to the sessions service and grpc-dotnet, which
/// cannot report two broken frame headers — a compressed flag other than 0 or 1, a length past 2^31 - 1 — and answers
/// them with <c>UNKNOWN</c> ("Exception was thrown by handler.") and an error with its stack trace in the log, for
/// every such request, with no credentials needed. Wraps the handler of each endpoint <c>MapSessions()</c> maps.
/// </summary>
internal sealed class GrpcFrameHeaderCheck(RequestDelegate next, string? operation, UnreadableRequests unreadable)
{
    /// <summary>Puts the check in front of <paramref name="endpoint"/>'s handler.</summary>
    public static void Wrap(EndpointBuilder endpoint, UnreadableRequests unreadable)
    {
        if (endpoint.RequestDelegate is { } handler)
        {
            var operation = endpoint.Metadata.OfType<GrpcMethodMetadata>().FirstOrDefault()?.Method.Name;
            endpoint.RequestDelegate = new GrpcFrameHeaderCheck(handler, operation, unreadable).InvokeAsync;
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        // gRPC-Web arrives here already translated to application/grpc; JSON transcoding has endpoints of its own.
        if (IsGrpc(context.Request.ContentType))
        {
            context.Features.Set<IRequestBodyPipeFeature>(new GrpcFrameHeaderReader(context.Request.BodyReader, operation, unreadable));
        }

        return next(context);
    }

    private static bool IsGrpc(string? contentType) =>
        contentType is not null &&
        contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) &&
        (contentType.Length == "application/grpc".Length || contentType["application/grpc".Length] is '+' or ';');
}

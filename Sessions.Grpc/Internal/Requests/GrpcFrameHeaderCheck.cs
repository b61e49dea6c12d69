using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sessions.Grpc.Internal.Requests;

/// <summary>
/// Lets grpc-dotnet read each gRPC request (<c>application/grpc</c>) of the host through a
/// <see cref="GrpcFrameHeaderReader"/>, which answers the broken framing grpc-dotnet cannot report well with a clear
/// status, a line and a count: the two frame headers grpc-dotnet alone answers <c>UNKNOWN</c> ("Exception was thrown
/// by handler.") and logs as an error with its stack trace — a compressed flag other than 0 or 1, a length past
/// 2^31 - 1 — and what it answers <c>INTERNAL</c> ("Incomplete message.", ...) with no line of ours: compressed flag 1
/// with no compression named, a body that ends inside a frame, a unary or server-streaming request that is not exactly
/// one message. That holds for every such request to any of the host's gRPC services (health checks and reflection
/// are open to anyone), with no credentials needed; a request to an endpoint that is no gRPC method is read unchecked.
/// </summary>
/// <remarks>
/// It runs first in the host's pipeline (<see cref="GrpcFrameHeaderCheckStartupFilter"/>), so that it covers every
/// gRPC service of the host; it costs about 1,500 instructions per call, mostly the reader's allocation and the
/// replaced feature (benchmarks/results/2026-12-06-instructions-unreadable-requests.md). gRPC-Web requests in binary
/// are checked here too (their frames are gRPC's); those in text are checked after the sessions service's own
/// gRPC-Web translation (<see cref="AfterGrpcWebTranslation"/>), so a host's other services reached over gRPC-Web
/// text are not. Every frame of a streamed request is checked.
/// </remarks>
internal sealed class GrpcFrameHeaderCheck(RequestDelegate next, UnreadableRequests unreadable)
{
    private const string Grpc = "application/grpc";

    private const string GrpcWeb = "application/grpc-web";

    public Task InvokeAsync(HttpContext context)
    {
        // gRPC-Web in binary has gRPC's frames as they are; in text (application/grpc-web-text) they are in base64,
        // and only the gRPC-Web translation can decode them (AfterGrpcWebTranslation).
        var contentType = context.Request.ContentType;
        if (IsContentType(contentType, Grpc) || IsContentType(contentType, GrpcWeb))
        {
            Check(context, unreadable);
        }

        return next(context);
    }

    /// <summary>
    /// The check for a request that the gRPC-Web translation before it has made a gRPC request: in text, whose
    /// decoded frames only now can be read; in binary, which <see cref="InvokeAsync"/> already checks.
    /// </summary>
    public static Func<HttpContext, RequestDelegate, Task> AfterGrpcWebTranslation(UnreadableRequests unreadable) => (context, next) =>
    {
        if (IsContentType(context.Request.ContentType, Grpc) && context.Features.Get<IRequestBodyPipeFeature>()?.Reader is not GrpcFrameHeaderReader)
        {
            Check(context, unreadable, decodesBase64: true);
        }

        return next(context);
    };

    private static void Check(HttpContext context, UnreadableRequests unreadable, bool decodesBase64 = false)
    {
        var body = context.Features.Get<IRequestBodyPipeFeature>();
        if (body is not null)
        {
            context.Features.Set<IRequestBodyPipeFeature>(new GrpcFrameHeaderReader(body.Reader, context, unreadable, decodesBase64));
        }
    }

    /// <summary>Whether <paramref name="contentType"/> is <paramref name="type"/>, alone or with a <c>+</c> suffix or parameters.</summary>
    /// <remarks>
    /// What gRPC clients send, <paramref name="type"/> exactly, is settled by an ordinal comparison first: the
    /// case-insensitive one costs about 250 instructions on every request (callgrind), the ordinal one a few dozen.
    /// </remarks>
    public static bool IsContentType(string? contentType, string type) =>
        contentType is not null &&
        (string.Equals(contentType, type, StringComparison.Ordinal) ||
         (contentType.StartsWith(type, StringComparison.OrdinalIgnoreCase) &&
          (contentType.Length == type.Length || contentType[type.Length] is '+' or ';')));
}

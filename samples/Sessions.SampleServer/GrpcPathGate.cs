#if JSON_TRANSCODING
namespace Sessions.SampleServer;

/// <summary>
/// What a request to a gRPC method's own path (<c>POST /sessions.Sessions/Validate</c>) gets when it is not gRPC: a
/// JSON client that took the method's gRPC path for its route (as <c>grpcurl</c> names it) got grpc-dotnet's 415 with
/// an empty body, the reason only in a <c>grpc-message</c> header that <c>curl</c> does not show. It gets 415 with
/// code 3 (INVALID_ARGUMENT) in the transcoded error's shape instead, as a JSON route answers a body that is not JSON,
/// naming the route of the same rpc. The path is the method's, never the one sent.
/// </summary>
/// <remarks>
/// A gRPC request (<c>application/grpc</c>, alone or with a <c>+</c> suffix or parameters) over HTTP/2 is passed on
/// after one ordinal comparison and a look at the protocol, so that gRPC calls pay next to nothing for it. Two clients
/// that cannot read a JSON body get their answer as a gRPC status instead, in headers (a trailers-only response): a
/// gRPC client on the HTTP/1.1 port, which grpc-dotnet answered with <c>INTERNAL</c> ("Request protocol 'HTTP/1.1' is not
/// supported"), and a gRPC-Web client, which this server does not serve and which read the JSON 415 as
/// <c>UNKNOWN</c> ("Bad gRPC response. HTTP status code: 415"): both get <c>UNIMPLEMENTED</c> saying what to call.
/// </remarks>
internal static class GrpcPathGate
{
    private const int InvalidArgument = 3;

    private const int Unimplemented = 12;

    private const string Grpc = "application/grpc";

    private const string GrpcWeb = "application/grpc-web";

    private const string GrpcWebText = "application/grpc-web-text";

    private const string OverHttp11 =
        "gRPC needs HTTP/2, and this port serves HTTP/1.1 (the JSON routes under /v1 and the key documents): call the gRPC port (PORT, 3123 by default) with HTTP/2.";

    /// <summary>Wraps the endpoint of the rpc <paramref name="rpc"/> of the sessions service.</summary>
    /// <param name="next">grpc-dotnet's handler of the method.</param>
    /// <param name="rpc">The rpc (<c>Validate</c>).</param>
    /// <returns>The handler with the gate in front of it.</returns>
    public static RequestDelegate Wrap(RequestDelegate next, string rpc)
    {
        var routes = HttpRuleRoute.Of(Sessions.Grpc.Protocol.Sessions.Descriptor).Where(route => route.Rpc == rpc).ToList();
        if (routes.Count == 0)
        {
            return next;
        }

        var message = $"/{Sessions.Grpc.Protocol.Sessions.Descriptor.FullName}/{rpc} is the gRPC method {rpc}: call it with a gRPC client "
            + "(Content-Type: application/grpc, HTTP/2 on the gRPC port), or as JSON: "
            + string.Join("; ", routes.Select(static route => $"{route.Method} {route.Template}{JsonRouteFallback.BodyOf(route)}"))
            + ".";
        var grpcWeb = $"This server does not serve gRPC-Web: call {rpc} with a gRPC client over HTTP/2 (the port set by PORT, 3123 by default), or as JSON: "
            + string.Join("; ", routes.Select(static route => $"{route.Method} {route.Template}"))
            + ".";
        return context =>
        {
            var contentType = context.Request.ContentType;
            if (IsGrpc(contentType, Grpc))
            {
                return HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)
                    ? WriteStatusAsync(context, StatusCodes.Status426UpgradeRequired, Grpc, OverHttp11)
                    : next(context);
            }

            return IsGrpc(contentType, GrpcWeb) ? WriteStatusAsync(context, StatusCodes.Status200OK, GrpcWeb, grpcWeb)
                : IsGrpc(contentType, GrpcWebText) ? WriteStatusAsync(context, StatusCodes.Status200OK, GrpcWebText, grpcWeb)
                : TranscodedError.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, InvalidArgument, message);
        };
    }

    // A trailers-only gRPC answer: the status in the headers, no body. The messages are printable ASCII without '%', so
    // they need no percent-encoding in grpc-message.
    private static Task WriteStatusAsync(HttpContext context, int httpStatus, string contentType, string message)
    {
        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = contentType;
        context.Response.Headers["grpc-status"] = Unimplemented.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = message;
        return Task.CompletedTask;
    }

    private static bool IsGrpc(string? contentType, string mediaType) =>
        contentType is not null &&
        (string.Equals(contentType, mediaType, StringComparison.Ordinal) ||
         (contentType.StartsWith(mediaType, StringComparison.OrdinalIgnoreCase) &&
          (contentType.Length == mediaType.Length || contentType[mediaType.Length] is '+' or ';')));
}
#endif

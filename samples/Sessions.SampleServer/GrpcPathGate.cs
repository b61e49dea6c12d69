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
/// A gRPC request (<c>application/grpc</c>, alone or with a <c>+</c> suffix or parameters) is passed on after one
/// ordinal comparison, so that gRPC calls pay next to nothing for it.
/// </remarks>
internal static class GrpcPathGate
{
    private const int InvalidArgument = 3;

    private const string Grpc = "application/grpc";

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
        return context => IsGrpc(context.Request.ContentType)
            ? next(context)
            : TranscodedError.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, InvalidArgument, message);
    }

    private static bool IsGrpc(string? contentType) =>
        contentType is not null &&
        (string.Equals(contentType, Grpc, StringComparison.Ordinal) ||
         (contentType.StartsWith(Grpc, StringComparison.OrdinalIgnoreCase) &&
          (contentType.Length == Grpc.Length || contentType[Grpc.Length] is '+' or ';')));
}
#endif

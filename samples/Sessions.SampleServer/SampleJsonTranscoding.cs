namespace Sessions.SampleServer;

/// <summary>
/// The sessions service as JSON over HTTP/1.1 (gRPC JSON transcoding) on <c>HTTP_PORT</c>, for clients without a gRPC
/// stack (<c>curl</c>, shell scripts, a browser's <c>fetch</c> from a page of the same origin: no CORS headers are
/// sent): the routes are the HTTP rules of sessions.proto (<c>POST /v1/sessions</c>, <c>POST /v1/sessions:validate</c>, ...). A transcoded call is the same call as over gRPC:
/// the same service method, the privileged-call check (<c>x-api-key</c> as an HTTP header), the log line and the
/// metrics. In the JIT build only: the Native AOT build answers the routes with 501 and says why
/// (<see cref="NotInThisBuildMessage"/>).
/// </summary>
public static class SampleJsonTranscoding
{
    /// <summary>The prefix of every route of the HTTP rules.</summary>
    public const string RoutePrefix = "/v1";

    /// <summary>
    /// What the Native AOT build answers on <see cref="RoutePrefix"/>, as the <c>message</c> of a transcoded error
    /// (status 501, code 12, UNIMPLEMENTED).
    /// </summary>
    public const string NotInThisBuildMessage =
        "JSON over HTTP is not in the Native AOT build of the sample server (Microsoft.AspNetCore.Grpc.JsonTranscoding is not AOT-safe): "
        + "call sessions.Sessions over gRPC on PORT, or run the JIT build (dotnet run --project samples/Sessions.SampleServer).";

    /// <summary>Whether this build serves JSON over HTTP: <see langword="false"/> in the Native AOT build.</summary>
    public static bool IsAvailable =>
#if JSON_TRANSCODING
        true;
#else
        false;
#endif

    /// <summary>
    /// Adds JSON transcoding, and the failure reason as a response header of refused transcoded calls; nothing in the
    /// Native AOT build.
    /// </summary>
    /// <param name="services">The host's services.</param>
    public static void Add(IServiceCollection services)
    {
#if JSON_TRANSCODING
        services.AddGrpc(grpc => grpc.Interceptors.Add<FailureReasonHeaderInterceptor>()).AddJsonTranscoding();
#else
        _ = services;
#endif
    }

    /// <summary>
    /// Maps the routes in the Native AOT build to the 501 that says why they are missing. In the JIT build
    /// <c>MapSessions()</c> maps them itself, and this caps their request bodies at
    /// <see cref="SessionsService.MaxReceiveMessageSize"/>, as gRPC caps its messages: JSON transcoding reads the whole
    /// body before it decodes it, up to Kestrel's limit of 30 MB, and anyone could make the server hold that much per
    /// request. The methods that take their request as the JSON body have it checked before JSON transcoding reads
    /// it (<see cref="JsonBodyGate"/>): a key sent twice, an unknown field, a value of the wrong type, a body that is
    /// not JSON, not UTF-8 or too large is refused with a message that says what to fix. So is what JSON transcoding
    /// would drop without a word (<see cref="JsonQueryGate"/>): a query parameter it does not read, and a body sent to a
    /// route that takes none. A request under
    /// <see cref="RoutePrefix"/> that is none of the routes is answered by <see cref="JsonRouteFallback"/>: 405 with
    /// <c>Allow</c> for a route's path with another method, 404 listing the routes for any other path. A request to a
    /// method's gRPC path that is not gRPC is told the route of the same rpc (<see cref="GrpcPathGate"/>).
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="sessions">The endpoints <c>MapSessions()</c> mapped.</param>
    public static void Map(IEndpointRouteBuilder app, IEndpointConventionBuilder sessions)
    {
#if JSON_TRANSCODING
        JsonRouteFallback.Map(app);
        sessions.Add(static endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } route } && route.StartsWith(RoutePrefix + "/", StringComparison.Ordinal))
            {
                endpoint.Metadata.Add(new RequestBodyLimit(Sessions.Grpc.SessionsService.MaxReceiveMessageSize));
                AllowHeadWithGet(endpoint.Metadata);
                if (endpoint.Metadata.OfType<Microsoft.AspNetCore.Grpc.JsonTranscoding.GrpcJsonTranscodingMetadata>().FirstOrDefault() is { } transcoded
                    && endpoint.RequestDelegate is { } transcoding)
                {
                    // The methods whose request is the JSON body (body: "*") have it checked (JsonBodyGate): only these
                    // requests pay for it. Every route has its query checked first, and a route without a body its
                    // lack of one (JsonQueryGate): a request without a query pays two checks.
                    if (transcoded.HttpRule.Body == "*")
                    {
                        transcoding = JsonBodyGate.Wrap(transcoding, transcoded.MethodDescriptor);
                    }

                    endpoint.RequestDelegate = JsonQueryGate.Wrap(transcoding, transcoded.MethodDescriptor, transcoded.HttpRule);
                }
            }
            else if (endpoint.Metadata.OfType<global::Grpc.AspNetCore.Server.GrpcMethodMetadata>().FirstOrDefault() is { } grpc
                && grpc.Method.ServiceName == Sessions.Grpc.Protocol.Sessions.Descriptor.FullName
                && endpoint.RequestDelegate is { } handler)
            {
                // The method's gRPC path: a JSON request there is told the route of the same rpc (GrpcPathGate).
                endpoint.RequestDelegate = GrpcPathGate.Wrap(handler, grpc.Method.Name);
            }
        });
#else
        _ = sessions;
        app.Map(RoutePrefix + "/{**path}", static context =>
            TranscodedError.WriteAsync(context, StatusCodes.Status501NotImplemented, Unimplemented, NotInThisBuildMessage));
#endif
    }

#if JSON_TRANSCODING
    // A GET route answers HEAD as GET without the content (RFC 9110, section 9.3.2; Kestrel leaves the content out):
    // JSON transcoding maps the rule's method only.
    private static void AllowHeadWithGet(IList<object> metadata)
    {
        for (var i = 0; i < metadata.Count; i++)
        {
            if (metadata[i] is HttpMethodMetadata { HttpMethods: [var only] } methods && HttpMethods.IsGet(only))
            {
                metadata[i] = new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head], methods.AcceptCorsPreflight);
            }
        }
    }
#endif

#if !JSON_TRANSCODING
    // gRPC's UNIMPLEMENTED, which JSON transcoding maps to 501.
    private const int Unimplemented = 12;
#endif
}

#if JSON_TRANSCODING
using Microsoft.AspNetCore.Http.Features;
using Sessions.Internal;

namespace Sessions.SampleServer;

/// <summary>
/// What a request under <see cref="SampleJsonTranscoding.RoutePrefix"/> gets when it is none of the HTTP rules' routes
/// (the routes of <see cref="HttpRuleRoute"/>, read from the service descriptor): instead of an empty 404, an answer
/// in the transcoded error's shape that says how to call the service.
/// </summary>
/// <remarks>
/// <para>
/// A path of a route with another method (<c>GET /v1/sessions</c>): 405 with <c>Allow</c> and code 12,
/// UNIMPLEMENTED, naming the route's methods and rpc (the mapping grpc-gateway answers a wrong method with: the
/// resource is there, the operation on it is not). <c>HEAD</c> on a POST route is such a method too: 405 without a
/// body (a GET route serves <c>HEAD</c> itself, <see cref="SampleJsonTranscoding"/>). <c>OPTIONS</c> on such a path: 204 with <c>Allow</c>. Any other path under the prefix: 404 with code
/// 5, NOT_FOUND, listing the routes. The path sent is never repeated (a token put in a path by mistake stays out of
/// the answer), and the method sent only as <see cref="EchoedName"/> allows.
/// </para>
/// <para>
/// Why it is needed: ASP.NET Core's routing answers a wrong method with an empty 405 on its own, but only where no
/// endpoint takes every method. grpc-dotnet maps <c>{unimplementedService}/{unimplementedMethod}</c> to answer calls to
/// unknown services with UNIMPLEMENTED; that endpoint has no method metadata (a constraint checks for a gRPC content
/// type instead), so on every two-segment path (<c>/v1/sessions</c>, <c>/v1/keys</c>) it takes every method, routing
/// makes no 405, the constraint then refuses the JSON request and nothing matches: an empty 404. On the longer routes
/// (<c>/v1/users/{user_id}/sessions</c>) routing's 405 came with an empty body. This endpoint comes last
/// (<see cref="int.MaxValue"/> as its order): a gRPC call to an unknown service still gets UNIMPLEMENTED, and the
/// routes' own endpoints take their requests first. It is a candidate on paths under the prefix only, never on the
/// gRPC services' paths.
/// </para>
/// </remarks>
internal static class JsonRouteFallback
{
    private const int NotFound = 5;
    private const int Unimplemented = 12;

    private const string AlwaysAllowed = "OPTIONS";

    // Read from the descriptor on the first request that needs it, not at start (as SampleReflection builds its own).
    private static readonly Lazy<IReadOnlyList<HttpRuleRoute>> Routes = new(() => HttpRuleRoute.Of(Sessions.Grpc.Protocol.Sessions.Descriptor));

    private static readonly Lazy<string> NotFoundMessage = new(() =>
        $"No route has this path: the routes of {Sessions.Grpc.Protocol.Sessions.Descriptor.FullName} are "
        + string.Join(", ", Routes.Value.Select(static route => $"{route.Method} {route.Template} ({route.Rpc})"))
        + ".");

    /// <summary>Maps the fallback for every path under the prefix, after every other endpoint.</summary>
    /// <param name="app">The application.</param>
    public static void Map(IEndpointRouteBuilder app) =>
        app.Map(SampleJsonTranscoding.RoutePrefix + "/{**path}", AnswerAsync)
            .WithOrder(int.MaxValue)
            .WithDisplayName("JSON routes: not a route");

    private static Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            // The body is not read: the connection does not carry another request after it.
            context.Response.Headers.Connection = "close";
        }

        var path = request.Path.Value ?? string.Empty;
        var matches = Routes.Value.Where(route => route.Matches(path)).ToList();
        if (matches.Count == 0 || matches.Exists(route => HttpMethods.Equals(route.Method, request.Method)))
        {
            // The second case is not reached (the route's endpoint takes it): answered as a path without a route.
            return TranscodedError.WriteAsync(context, StatusCodes.Status404NotFound, NotFound, NotFoundMessage.Value);
        }

        var methods = matches.Select(static route => route.Method).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var allowed = methods.Exists(HttpMethods.IsGet) ? methods.Append(HttpMethods.Head) : methods;   // a GET route serves HEAD too
        context.Response.Headers.Allow = string.Join(", ", allowed.Append(AlwaysAllowed));
        if (HttpMethods.IsOptions(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        if (HttpMethods.IsHead(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        var message = string.Join(" and ", matches.Select(static route => route.Template).Distinct(StringComparer.Ordinal))
            + $" takes {string.Join(" or ", methods)}, not {MethodSent(request.Method)}: "
            + string.Join("; ", matches.Select(static route => $"{route.Method} {route.Template} is {route.Rpc}{BodyOf(route)}"))
            + ".";
        return TranscodedError.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, Unimplemented, message);
    }

    // The method as sent (GET, PUT, ...) when EchoedName repeats it; a token is a valid method (curl -X <token>), and is
    // described by its length instead.
    private static string MethodSent(string method) =>
        EchoedName.IsEchoed(method) ? method : "a " + EchoedName.Describe("method", method);

    /// <summary>What the route takes as its body, as the messages say it (<c>, without a body</c>, ...).</summary>
    internal static string BodyOf(HttpRuleRoute route) => route.Body switch
    {
        "" => ", without a body",
        "*" => ", with the request as a JSON body (Content-Type: application/json)",
        var field => $", with {field} as a JSON body (Content-Type: application/json)",
    };
}
#endif

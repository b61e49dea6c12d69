#if JSON_TRANSCODING
using Google.Api;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http.Features;

namespace Sessions.SampleServer;

/// <summary>
/// Stands in front of every transcoded route and refuses what JSON transcoding would silently drop: a query parameter
/// that is no field of the request (<c>GET /v1/users/{user_id}/sessions?user=...</c>), one that names a field the path
/// already sets (the path's value would win), one sent twice, any query parameter on a route that takes its request
/// as the JSON body, and a body on a route that takes none (<c>POST /v1/users/{user_id}/sessions:revoke</c>: the user
/// is the one in the path, whatever the body says). Each gets 400 with INVALID_ARGUMENT and what to send instead, as
/// <see cref="JsonBodyCheck"/> refuses an unknown field of a body.
/// </summary>
/// <remarks>
/// A request without a query string and, on a route without a body, without a body passes after two checks. The
/// names it echoes are the query's (<see cref="JsonRouteQuery"/>), never its values.
/// </remarks>
internal static class JsonQueryGate
{
    private const int InvalidArgument = 3;

    /// <summary>The request delegate of a transcoded route with its query (and, on a route without a body, its lack of body) checked first.</summary>
    /// <param name="next">The endpoint's request delegate.</param>
    /// <param name="method">The method.</param>
    /// <param name="rule">The route's HTTP rule.</param>
    /// <returns>The delegate to put in its place.</returns>
    public static RequestDelegate Wrap(RequestDelegate next, MethodDescriptor method, HttpRule rule)
    {
        var takesBody = rule.Body.Length > 0;
        // Built on the first request that has a query, as JsonBodyGate builds its schema.
        var query = new Lazy<JsonRouteQuery>(() => new JsonRouteQuery(method, rule));
        return context =>
        {
            var request = context.Request;
            if (!takesBody && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
            {
                context.Response.Headers.Connection = "close";   // the body is not read: the connection cannot carry another request
                return TranscodedError.WriteAsync(context, StatusCodes.Status400BadRequest, InvalidArgument, query.Value.NoBodyMessage);
            }

            return request.QueryString.HasValue && query.Value.Problem(request.Query) is { } problem
                ? TranscodedError.WriteAsync(context, StatusCodes.Status400BadRequest, InvalidArgument, problem)
                : next(context);
        };
    }

}
#endif

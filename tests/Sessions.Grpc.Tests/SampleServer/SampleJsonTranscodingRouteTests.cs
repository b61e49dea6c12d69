using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// A request under <c>/v1</c> with the wrong method or path: what <c>curl</c> gets instead of an empty 404. A route's
/// path with another method is a 405 with <c>Allow</c> and code 12 (UNIMPLEMENTED) naming the route's method and rpc;
/// any other path a 404 with code 5 (NOT_FOUND) listing the routes of sessions.proto.
/// </summary>
public sealed partial class SampleJsonTranscodingTests
{
    private const string AllRoutes =
        "No route has this path: the routes of sessions.Sessions are POST /v1/sessions (Create), POST /v1/sessions:validate (Validate), "
        + "GET /v1/keys (GetKeys), POST /v1/sessions:refresh (Refresh), POST /v1/sessions:revoke (Revoke), "
        + "POST /v1/users/{user_id}/sessions:revoke (RevokeAll), GET /v1/users/{user_id}/sessions (ListSessions).";

    private const string CreateBody = ", with the request as a JSON body (Content-Type: application/json).";

    private static async Task<(HttpResponseMessage Response, JsonElement Error)> SendAsync(HttpClient http, string method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"{method} {path}: {(int)response.StatusCode} '{text}'");
        return (response, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string Allow(HttpResponseMessage response) => string.Join(", ", response.Content.Headers.Allow);

    private static async Task AssertCreateIsServedAsync(Started started)
    {
        var created = await PostAsync(started.Http, "/v1/sessions", new { user_id = Uuid }, HttpStatusCode.OK);
        Assert.True(created.GetProperty("valid").GetBoolean());
        Assert.DoesNotContain(started.Logs.Lines, line => line.Level >= LogLevel.Error || line.Exception is not null);
    }

    [Theory]
    [InlineData("GET", "/v1/sessions", "POST, OPTIONS", "/v1/sessions takes POST, not GET: POST /v1/sessions is Create" + CreateBody)]
    [InlineData("PUT", "/v1/sessions", "POST, OPTIONS", "/v1/sessions takes POST, not PUT: POST /v1/sessions is Create" + CreateBody)]
    [InlineData("DELETE", "/v1/sessions", "POST, OPTIONS", "/v1/sessions takes POST, not DELETE: POST /v1/sessions is Create" + CreateBody)]
    [InlineData("GET", "/v1/sessions:validate", "POST, OPTIONS", "/v1/sessions:validate takes POST, not GET: POST /v1/sessions:validate is Validate" + CreateBody)]
    [InlineData("POST", "/v1/keys", "GET, HEAD, OPTIONS", "/v1/keys takes GET, not POST: GET /v1/keys is GetKeys, without a body.")]
    [InlineData("DELETE", "/v1/users/" + Uuid + "/sessions", "GET, HEAD, OPTIONS", "/v1/users/{user_id}/sessions takes GET, not DELETE: GET /v1/users/{user_id}/sessions is ListSessions, without a body.")]
    [InlineData("GET", "/v1/users/" + Uuid + "/sessions:revoke", "POST, OPTIONS", "/v1/users/{user_id}/sessions:revoke takes POST, not GET: POST /v1/users/{user_id}/sessions:revoke is RevokeAll, without a body.")]
    public async Task A_route_called_with_another_method_is_a_405_with_Allow_saying_which_method_it_takes(string method, string path, string allow, string expected)
    {
        await using var started = await StartAsync();

        var (response, error) = await SendAsync(started.Http, method, path, method == "POST" ? "{}" : null);
        using (response)
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            Assert.Equal(allow, Allow(response));
            Assert.Equal((int)StatusCode.Unimplemented, error.GetProperty("code").GetInt32());
            Assert.Equal(expected, error.GetProperty("message").GetString());
            Assert.Equal(0, error.GetProperty("details").GetArrayLength());
        }

        await AssertCreateIsServedAsync(started);
    }

    [Theory]
    [InlineData("GET", "/v1/nothing")]
    [InlineData("POST", "/v1/nothing")]
    [InlineData("GET", "/v1")]
    [InlineData("DELETE", "/v1/a/b/c")]
    [InlineData("POST", "/v1/sessions:valdate")]
    [InlineData("GET", "/v1/sessions/secret-token-sent-in-the-path")]
    [InlineData("POST", "/v1/users/" + Uuid + "/sessions/extra")]
    public async Task A_path_under_v1_that_is_no_route_is_a_404_listing_the_routes_without_repeating_the_path(string method, string path)
    {
        await using var started = await StartAsync();

        var (response, error) = await SendAsync(started.Http, method, path, method == "POST" ? "{\"user_id\":\"" + Uuid + "\"}" : null);
        using (response)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Empty(response.Content.Headers.Allow);
            Assert.Equal((int)StatusCode.NotFound, error.GetProperty("code").GetInt32());
            Assert.Equal(AllRoutes, error.GetProperty("message").GetString());
            Assert.Equal(0, error.GetProperty("details").GetArrayLength());
        }

        await AssertCreateIsServedAsync(started);
    }

    [Theory]
    [InlineData("Validate", "application/json", "{\"token\":\"a.b.c\"}", "POST /v1/sessions:validate" + CreateBody)]
    [InlineData("Create", "application/json", "{\"user_id\":\"" + Uuid + "\"}", "POST /v1/sessions" + CreateBody)]
    [InlineData("GetKeys", "text/plain", "", "GET /v1/keys, without a body.")]
    [InlineData("ListSessions", null, null, "GET /v1/users/{user_id}/sessions, without a body.")]
    public async Task A_JSON_request_to_a_gRPC_method_path_is_a_415_naming_the_route_of_the_same_rpc(string rpc, string? contentType, string? body, string route)
    {
        // Before, grpc-dotnet's 415 with an empty body: the reason was only in a grpc-message header.
        await using var started = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sessions.Sessions/" + rpc);
        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = contentType is null ? null : new(contentType);
        }

        using var response = await started.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"{(int)response.StatusCode} '{text}'");
        var error = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)StatusCode.InvalidArgument, error.GetProperty("code").GetInt32());
        Assert.Equal(
            $"/sessions.Sessions/{rpc} is the gRPC method {rpc}: call it with a gRPC client (Content-Type: application/grpc, HTTP/2 on the gRPC port), "
            + $"or as JSON: {route}",
            error.GetProperty("message").GetString());

        // gRPC on the same path is served as before.
        var keys = await started.Server.Client.GetKeysAsync(new GetKeysRequest());
        Assert.NotEmpty(keys.Version);
        await AssertCreateIsServedAsync(started);
    }

    [Fact]
    public async Task OPTIONS_on_a_route_is_a_204_with_Allow_and_HEAD_is_served_on_a_GET_route_and_a_405_on_a_POST_route()
    {
        await using var started = await StartAsync();

        using var options = await started.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/v1/keys"));
        using var head = await started.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/keys"));
        using var headOfPost = await started.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/sessions"));
        var (unknown, error) = await SendAsync(started.Http, "OPTIONS", "/v1/nothing");
        using var keys = await started.Http.GetAsync("/v1/keys");
        var keysBody = await keys.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
        Assert.Equal("GET, HEAD, OPTIONS", Allow(options));
        Assert.Empty(await options.Content.ReadAsByteArrayAsync());
        // HEAD is GET without the content (RFC 9110, section 9.3.2), which may leave out the length it would only
        // learn by writing the content.
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(keys.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, headOfPost.StatusCode);
        Assert.Equal("POST, OPTIONS", Allow(headOfPost));
        Assert.Empty(await headOfPost.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(AllRoutes, error.GetProperty("message").GetString());
        unknown.Dispose();
        // The routes themselves are served as before.
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        Assert.Equal("{\"keys\":[]}", JsonDocument.Parse(keysBody).RootElement.GetProperty("jwksJson").GetString());
        await AssertCreateIsServedAsync(started);
    }
}

using System.Net;
using System.Text.Json;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// What JSON transcoding reads besides a JSON body: a query parameter it does not read (no field of the request, a
/// field the path sets, any parameter of a route whose body is the request, one sent twice) and a body sent to a route
/// that takes none were dropped without a word, so that <c>?user=...</c> or a body naming another user went unnoticed.
/// They are refused with 400 and code 3 (INVALID_ARGUMENT), before the privileged-call check.
/// </summary>
public sealed partial class SampleJsonTranscodingTests
{
    private const string ListSessionsPath = "/v1/users/" + Uuid + "/sessions";
    private const string RevokeAllPath = "/v1/users/" + Uuid + "/sessions:revoke";

    [Theory]
    [InlineData("GET", ListSessionsPath + "?foo=1", null, "The query parameter 'foo' is not read: ListSessions takes no query parameters (user_id is in the path): send the URL without a query string.")]
    [InlineData("GET", ListSessionsPath + "?user_id=" + Uuid, null, "The query parameter 'user_id' sets user_id, which the path sets: leave it out of the query.")]
    [InlineData("GET", ListSessionsPath + "?userId=other", null, "The query parameter 'userId' sets user_id, which the path sets: leave it out of the query.")]
    [InlineData("GET", "/v1/keys?version=abc", null, "The query parameter 'version' is not read: GetKeys takes no query parameters: send the URL without a query string.")]
    [InlineData("POST", "/v1/sessions?user_id=" + Uuid, "{\"user_id\":\"" + Uuid + "\"}", "The query parameter 'user_id' is not read: Create takes its request as the JSON body, not in the query: send the URL without a query string.")]
    [InlineData("POST", "/v1/sessions:validate?token=x", "{\"token\":\"x\"}", "The query parameter 'token' is not read: Validate takes its request as the JSON body, not in the query: send the URL without a query string.")]
    [InlineData("POST", RevokeAllPath, "{\"user_id\":\"00000000-0000-0000-0000-000000000001\"}", "RevokeAll takes no body (user_id is in the path): send the request without one (no Content-Length, or Content-Length: 0).")]
    [InlineData("POST", RevokeAllPath, "{}", "RevokeAll takes no body (user_id is in the path): send the request without one (no Content-Length, or Content-Length: 0).")]
    public async Task What_JSON_transcoding_would_not_read_is_a_400_saying_what_to_send(string method, string path, string? body, string expected)
    {
        await using var started = await StartAsync("--SESSIONS_API_KEY=" + ApiKey);

        var (response, error) = await SendAsync(started.Http, method, path, body);
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal((int)StatusCode.InvalidArgument, error.GetProperty("code").GetInt32());
            Assert.Equal(expected, error.GetProperty("message").GetString());
        }

        // Nothing was done: no session of the user was revoked, and every route is served without what was refused.
        Assert.DoesNotContain(started.Logs.Lines, line => line.Message.Contains("Sessions.RevokeAll", StringComparison.Ordinal));
        await AssertServedAsync(started, HttpMethod.Get, ListSessionsPath);
        await AssertServedAsync(started, HttpMethod.Get, "/v1/keys");
        await AssertServedAsync(started, HttpMethod.Post, RevokeAllPath);
    }

    [Fact]
    public async Task A_long_query_parameter_name_is_described_by_its_length_and_its_value_never_repeated()
    {
        await using var started = await StartAsync();
        var name = new string('q', 100);

        var (response, error) = await SendAsync(started.Http, "GET", $"/v1/keys?{name}=secret-value-sent-by-mistake");
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var message = error.GetProperty("message").GetString()!;
            Assert.Equal("The query parameter of 100 characters is not read: GetKeys takes no query parameters: send the URL without a query string.", message);
            Assert.DoesNotContain("qqqq", message, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-value", message, StringComparison.Ordinal);
        }
    }

    private static async Task AssertServedAsync(Started started, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add(SessionsApiKeyDefaults.MetadataKey, ApiKey);
        using var response = await started.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {text}");
        _ = JsonDocument.Parse(text);
    }
}

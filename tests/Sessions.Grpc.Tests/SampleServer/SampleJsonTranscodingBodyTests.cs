using System.Net;
using System.Text;
using System.Text.Json;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// Bad JSON bodies on the sample's transcoded routes: each is refused with the status a client can act on, the gRPC
/// code in the transcoded error body, and a message that says what was wrong and how to fix it; never a body whose
/// last duplicate key wins, a 500, .NET exception text, or an error line in the log.
/// </summary>
public sealed partial class SampleJsonTranscodingTests
{
    private const string Uuid = TestTokens.UserId;

    private static async Task<(HttpStatusCode Status, int Code, string Message)> SendRawAsync(HttpClient http, string path, byte[] body, string? contentType = "application/json")
    {
        using var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"{(int)response.StatusCode} {text}");
        var error = JsonDocument.Parse(text).RootElement;
        return (response.StatusCode, error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString()!);
    }

    // What a message must never carry: the text of a .NET or parser exception.
    private static void AssertNoExceptionText(string message)
    {
        foreach (var leak in new[] { "Exception", "System.", "Google.Protobuf", "Sessions.Grpc", "Parameter '", "$.", "LineNumber:", "BytePositionInLine", "not correctly formatted", "Unable to " })
        {
            Assert.DoesNotContain(leak, message, StringComparison.Ordinal);
        }
    }

    private static void AssertNoErrorLogged(LogCollector logs, params string[] secrets)
    {
        Assert.DoesNotContain(logs.Lines, line => line.Level >= LogLevel.Error || line.Exception is not null);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs.Lines, line => line.Message.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("/v1/sessions", "{\"user_id\":\"alice\",\"user_id\":\"" + Uuid + "\"}", "The body of Create has the field user_id twice (user_id and userId are the same field): send each field once.")]
    [InlineData("/v1/sessions", "{\"user_id\":\"alice\",\"userId\":\"" + Uuid + "\"}", "The body of Create has the field user_id twice (user_id and userId are the same field): send each field once.")]
    [InlineData("/v1/sessions", "{\"user_id\":\"alice\",\"user\\u005fid\":\"" + Uuid + "\"}", "The body of Create has the field user_id twice (user_id and userId are the same field): send each field once.")]
    [InlineData("/v1/sessions", "{\"user_id\":\"" + Uuid + "\",\"claims\":{\"role\":{\"string_value\":\"user\"},\"role\":{\"string_value\":\"admin\"}}}", "claims has the key 'role' twice: send each key once.")]
    [InlineData("/v1/sessions:validate", "{\"token\":\"secret-token.first.one\",\"token\":\"secret-token.second.one\"}", "The body of Validate has the field token twice: send each field once.")]
    [InlineData("/v1/sessions:refresh", "{\"refresh_token\":\"secret-refresh-one\",\"refreshToken\":\"secret-refresh-two\"}", "The body of Refresh has the field refresh_token twice (refresh_token and refreshToken are the same field): send each field once.")]
    public async Task A_key_sent_twice_is_refused_naming_it_instead_of_the_last_one_winning(string path, string body, string expected)
    {
        await using var started = await StartAsync();

        var (status, code, message) = await SendRawAsync(started.Http, path, Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal((int)StatusCode.InvalidArgument, code);
        Assert.Equal(expected, message);
        // Refused before the call: nothing was issued, validated or refreshed, and no value sent is repeated anywhere.
        Assert.DoesNotContain(started.Logs.Lines, line => line.Message.StartsWith("Sessions.", StringComparison.Ordinal));
        Assert.DoesNotContain("secret", message, StringComparison.Ordinal);
        AssertNoErrorLogged(started.Logs, "secret-token", "secret-refresh");
    }

    [Fact]
    public async Task A_request_refused_before_the_call_gets_one_log_line_naming_its_route_and_reason_but_not_its_path()
    {
        // Before, such a request reached no service and wrote no line: an operator saw nothing of clients that sent
        // bad JSON, the wrong content type or unknown paths.
        await using var started = await StartAsync();
        const string Secret = "secret-refresh-token-in-a-path";

        var (status, _, message) = await SendRawAsync(started.Http, "/v1/sessions", "{"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var (wrongType, _, typeMessage) = await SendRawAsync(started.Http, "/v1/sessions", "{}"u8.ToArray(), "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType);
        using (var unknown = await started.Http.GetAsync("/v1/sessions/" + Secret + "/extra"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        var refused = started.Logs.Lines.Where(line => line.EventId.Id == 905).Select(line => line.Message).ToList();
        Assert.Equal(3, refused.Count);
        Assert.Contains(refused, line => line.StartsWith("JSON request POST ", StringComparison.Ordinal) && line.Contains("refused before the call: 400 (3) " + message, StringComparison.Ordinal));
        Assert.Contains(refused, line => line.Contains("refused before the call: 415 (3) " + typeMessage, StringComparison.Ordinal));
        Assert.Contains(refused, line => line.StartsWith("JSON request GET ", StringComparison.Ordinal) && line.Contains("refused before the call: 404 (5)", StringComparison.Ordinal));
        Assert.All(started.Logs.Lines, line => Assert.DoesNotContain(Secret, line.Message, StringComparison.Ordinal));
        Assert.All(refused, line => Assert.Contains("v1/sessions", line, StringComparison.Ordinal));
        AssertNoErrorLogged(started.Logs);
    }

    [Theory]
    // Not JSON, or not one JSON object.
    [InlineData("/v1/sessions", "{", "The body is not valid JSON: line 1, byte 2. Create takes one JSON object with the fields user_id, claims, with_refresh_token, client_description, e.g. {\"user_id\":...}. Check the quotes, commas and brackets there.")]
    [InlineData("/v1/sessions", "", "The body is empty. Create takes one JSON object with the fields user_id, claims, with_refresh_token, client_description, e.g. {\"user_id\":...}.")]
    [InlineData("/v1/sessions", "null", "The body is null, not a JSON object. Create takes one JSON object with the fields user_id, claims, with_refresh_token, client_description, e.g. {\"user_id\":...}.")]
    [InlineData("/v1/sessions:validate", "[{\"token\":\"a.b.c\"}]", "The body is a JSON array, not a JSON object. Validate takes one JSON object with the fields token, e.g. {\"token\":...}.")]
    [InlineData("/v1/sessions", "{\"user_id\":\"" + Uuid + "\"} and more", "The body goes on after its JSON object (line 1, byte 52): send one JSON object and nothing after it.")]
    // Values of the wrong type.
    [InlineData("/v1/sessions", "{\"user_id\":123}", "user_id must be a JSON string, not a number.")]
    [InlineData("/v1/sessions", "{\"user_id\":{\"id\":\"" + Uuid + "\"}}", "user_id must be a JSON string, not a JSON object.")]
    [InlineData("/v1/sessions", "{\"user_id\":\"" + Uuid + "\",\"with_refresh_token\":\"yes\"}", "with_refresh_token must be true or false, not a string.")]
    [InlineData("/v1/sessions", "{\"user_id\":\"" + Uuid + "\",\"claims\":null}", "claims is null: it must be a JSON object; leave the field out to send none.")]
    [InlineData("/v1/sessions", "{\"user_id\":\"" + Uuid + "\",\"claims\":{\"tenant\":null}}", "claims[\"tenant\"] is null: it must be a JSON object.")]
    [InlineData("/v1/sessions", "{\"user_id\":\"" + Uuid + "\",\"claims\":{\"level\":{\"integer_value\":\"high\"}}}", "claims[\"level\"].integer_value must be a whole number from -9223372036854775808 to 9223372036854775807 (a JSON number, or a string of digits).")]
    [InlineData("/v1/sessions", "{\"user_id\":\"" + Uuid + "\",\"claims\":{\"roles\":{\"strings_value\":{\"values\":[\"a\",null]}}}}", "claims[\"roles\"].strings_value.values[1] is null: it must be a JSON string.")]
    [InlineData("/v1/sessions", "{\"user_id\":\"\\ud800\"}", "user_id is not valid text (a \\u escape of half a surrogate pair): fix the string.")]
    // Fields the message does not have, or two alternatives at once.
    [InlineData("/v1/sessions", "{\"user_id\":\"" + Uuid + "\",\"with_refresh_tokn\":true}", "The body of Create has an unknown field 'with_refresh_tokn': Create takes the fields user_id, claims, with_refresh_token, client_description (or their lowerCamelCase JSON names). Check the spelling, or leave the field out.")]
    [InlineData("/v1/sessions:revoke", "{\"token\":\"a.b.c\",\"session_id\":null}", "The body of Revoke has both token and session_id, which are alternatives (oneof target): send only one of them.")]
    public async Task A_malformed_body_is_a_400_saying_what_is_wrong_without_exception_text(string path, string body, string expected)
    {
        await using var started = await StartAsync();

        var (status, code, message) = await SendRawAsync(started.Http, path, Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal((int)StatusCode.InvalidArgument, code);
        Assert.Equal(expected, message);
        AssertNoExceptionText(message);
        AssertNoErrorLogged(started.Logs);
    }

    [Fact]
    public async Task A_body_that_is_not_UTF_8_is_a_400_naming_the_byte()
    {
        await using var started = await StartAsync();
        byte[] body = [.. "{\"user_id\":\""u8, 0xFF, 0xFE, .. "\"}"u8];

        var (status, code, message) = await SendRawAsync(started.Http, "/v1/sessions", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal((int)StatusCode.InvalidArgument, code);
        Assert.StartsWith("The body is not valid UTF-8 (byte 13): send JSON text encoded as UTF-8.", message, StringComparison.Ordinal);
        AssertNoErrorLogged(started.Logs);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    [InlineData("application/json;charset=utf8")]
    [InlineData("application/merge-patch+json")]
    public async Task A_body_in_UTF_8_JSON_by_its_content_type_is_served(string contentType)
    {
        await using var started = await StartAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"user_id\":\"" + Uuid + "\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await started.Http.PostAsync("/v1/sessions", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(text).RootElement.GetProperty("token").GetString()));
    }

    [Theory]
    [InlineData(null, "The body must be JSON: send the header Content-Type: application/json.")]
    [InlineData("text/plain", "The body must be JSON: send the header Content-Type: application/json.")]
    [InlineData("application/x-www-form-urlencoded", "The body must be JSON: send the header Content-Type: application/json.")]
    [InlineData("application/json; charset=no-such-charset", "The body must be JSON in UTF-8: send Content-Type: application/json without a charset, or with charset=utf-8, and encode the body as UTF-8.")]
    [InlineData("application/json; charset=iso-8859-1", "The body must be JSON in UTF-8: send Content-Type: application/json without a charset, or with charset=utf-8, and encode the body as UTF-8.")]
    public async Task A_body_that_is_not_UTF_8_JSON_by_its_content_type_is_a_415(string? contentType, string expected)
    {
        await using var started = await StartAsync();

        var (status, code, message) = await SendRawAsync(started.Http, "/v1/sessions", Encoding.UTF8.GetBytes("{\"user_id\":\"" + Uuid + "\"}"), contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal((int)StatusCode.InvalidArgument, code);
        Assert.Equal(expected, message);
        // An unknown charset made JSON transcoding throw: 500 "Exception was thrown by handler." and a stack trace.
        AssertNoErrorLogged(started.Logs);
        Assert.DoesNotContain(started.Logs.Lines, line => line.Message.StartsWith("Sessions.Create ", StringComparison.Ordinal));
    }
}

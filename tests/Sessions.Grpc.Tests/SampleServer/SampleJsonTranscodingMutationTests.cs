using System.Net;
using System.Text;
using System.Text.Json;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// Seeded random mutations of valid JSON bodies, sent to the sample's transcoded routes: whatever the body, the answer
/// is the transcoded error shape or the call's reply, never a 500, never JSON transcoding's own generic or exception
/// text (which would mean the body check let through what JSON transcoding then refused), and nothing is logged at
/// Error. The inputs are the same on every run; a failure names the one that failed.
/// </summary>
public sealed partial class SampleJsonTranscodingTests
{
    private static readonly (string Path, string Body)[] ValidBodies =
    [
        ("/v1/sessions", "{\"user_id\":\"" + TestTokens.UserId + "\",\"claims\":{\"role\":{\"string_value\":\"admin\"},\"level\":{\"integer_value\":\"3\"},\"tags\":{\"strings_value\":{\"values\":[\"a\",\"b\"]}}},\"with_refresh_token\":true,\"client_description\":\"phone\"}"),
        ("/v1/sessions:validate", "{\"token\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl\"}"),
        ("/v1/sessions:refresh", "{\"refreshToken\":\"not-a-refresh-token\"}"),
        ("/v1/sessions:revoke", "{\"session_id\":\"" + TestTokens.UserId + "\"}"),
    ];

    // Bytes that matter to JSON and to the check: structure, escapes, numbers, literals, a non-ASCII letter, NUL.
    private static readonly string[] Pieces = ["{", "}", "[", "]", "\"", ",", ":", "\\", "\\u0000", "\\ud800", "null", "true", "1e400", "-0", "9223372036854775808", "é", "\0", " ", "user_id", "userId", "claims", "\"token\":\"x\""];

    [Fact]
    public async Task A_thousand_mutated_bodies_get_a_clear_answer_and_never_a_500_or_exception_text()
    {
        await using var started = await StartAsync();
        var random = new Random(20261207);
        var answered = new Dictionary<HttpStatusCode, int>();
        var reachedTheService = 0;
        for (var i = 0; i < 1000; i++)
        {
            var (path, valid) = ValidBodies[random.Next(ValidBodies.Length)];
            var body = Mutate(valid, random);
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

            using var response = await started.Http.PostAsync(path, content);
            var text = await response.Content.ReadAsStringAsync();

            var input = $"input {i}: POST {path} {body}";
            Assert.True((int)response.StatusCode < 500, $"{input} answered {(int)response.StatusCode} {text}");
            answered[response.StatusCode] = answered.GetValueOrDefault(response.StatusCode) + 1;
            // Served, or refused by the service itself (a token it refuses, a privileged call without the key).
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized || response.Headers.Contains(SessionsMetadataKeys.FailureReason))
            {
                reachedTheService++;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                var message = JsonDocument.Parse(text).RootElement.GetProperty("message").GetString() ?? string.Empty;
                Assert.True(!message.Contains("Request JSON payload", StringComparison.Ordinal), $"{input}: JSON transcoding refused what the check let through: {message}");
                var leak = new[] { "Exception", "System.", "Google.Protobuf", "Parameter '", "$.", "Unable to " }.FirstOrDefault(l => message.Contains(l, StringComparison.Ordinal));
                Assert.True(leak is null, $"{input}: the message carries '{leak}': {message}");
            }
        }

        AssertNoErrorLogged(started.Logs);
        // The mutations reach both sides of the check: some bodies are refused, some still served.
        var summary = $"{reachedTheService} reached the service; " + string.Join(", ", answered.Select(a => $"{(int)a.Key}: {a.Value}"));
        Assert.True(answered.GetValueOrDefault(HttpStatusCode.BadRequest) > 100, summary);
        Assert.True(reachedTheService > 50, summary);
    }

    /// <summary>One to three edits: delete a run, insert a piece, or repeat a run of the body.</summary>
    private static string Mutate(string body, Random random)
    {
        var text = new StringBuilder(body);
        for (var edits = random.Next(1, 4); edits > 0 && text.Length > 0; edits--)
        {
            var at = random.Next(text.Length);
            switch (random.Next(3))
            {
                case 0:
                    text.Remove(at, Math.Min(random.Next(1, 4), text.Length - at));
                    break;
                case 1:
                    text.Insert(at, Pieces[random.Next(Pieces.Length)]);
                    break;
                default:
                    var length = Math.Min(random.Next(1, 24), text.Length - at);
                    text.Insert(at, text.ToString(at, length));
                    break;
            }
        }

        return text.ToString();
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// A secret put where a name goes (a query parameter's name, a JSON field's name, a key of the claims map): the
/// messages name what was wrong without repeating it, in the answer (body and headers) and in the log, while a short
/// misspelt name is still named.
/// </summary>
public sealed partial class SampleJsonTranscodingTests
{
    private sealed record Secrets(string ApiKey, string RefreshToken, string Jwt)
    {
        public string Of(string kind) => kind switch
        {
            "API key" => ApiKey,
            "refresh token" => RefreshToken,
            _ => Jwt,
        };
    }

    // A key as the README says to make one (openssl rand -base64 32: 44 characters, '+', '/' and '=' among them), and a
    // refresh token and a session token the server issued.
    private static async Task<(Started Started, Secrets Secrets)> StartWithSecretsAsync()
    {
        var apiKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var started = await StartAsync("--SESSIONS_API_KEY=" + apiKey);
        var created = await PostAsync(started.Http, "/v1/sessions", new { user_id = Uuid, with_refresh_token = true }, HttpStatusCode.OK, apiKey);
        var secrets = new Secrets(apiKey, created.GetProperty("refreshToken").GetString()!, created.GetProperty("token").GetString()!);
        Assert.Equal(64, secrets.RefreshToken.Length);
        return (started, secrets);
    }

    // With the API key in its header, so that Create reaches the service's own checks of the claims.
    private static async Task<(HttpStatusCode Status, string Message, string Everything)> SendForEchoAsync(Started started, string apiKey, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add(SessionsApiKeyDefaults.MetadataKey, apiKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await started.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(static header => $"{header.Key}: {string.Join(", ", header.Value)}"));
        var message = JsonDocument.Parse(text).RootElement.GetProperty("message").GetString()!;
        return (response.StatusCode, message, headers + "\n" + text);
    }

    // No run of 12 characters of the secret, as sent or as the query decodes it ('+' is a space there): a cut echo
    // counts as much as a whole one.
    private static void AssertNotRepeated(string secret, string kind, string where, string text)
    {
        foreach (var form in new[] { secret, secret.Replace('+', ' '), secret.TrimEnd('=') })
        {
            for (var i = 0; i + 12 <= form.Length; i++)
            {
                Assert.False(text.Contains(form.Substring(i, 12), StringComparison.Ordinal), $"{where} repeats part of the {kind} ('{form.Substring(i, 12)}'): {text}");
            }
        }
    }

    private static void AssertNotLogged(Started started, string secret, string kind)
    {
        foreach (var line in started.Logs.Lines)
        {
            AssertNotRepeated(secret, kind, $"the log line of {line.Category}", line.Message + "\n" + line.Exception);
        }
    }

    private static readonly string[] SecretKinds = ["API key", "refresh token", "JWT"];

    private static readonly string[] WhereANameGoes =
    [
        "query parameter of a route whose body is the request",
        "query parameter of a route that reads none",
        "query parameter of a route with a path variable",
        "field of the body",
        "field of a nested message",
        "key of the claims map, with a null value",
        "key of the claims map, without a value",
        "key of the claims map, twice",
    ];

    public static TheoryData<string, string> SecretsWhereANameGoes()
    {
        var data = new TheoryData<string, string>();
        foreach (var where in WhereANameGoes)
        {
            foreach (var kind in SecretKinds)
            {
                data.Add(where, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SecretsWhereANameGoes))]
    public async Task A_secret_put_where_a_name_goes_is_not_repeated_in_the_answer_nor_in_the_log(string where, string kind)
    {
        var (started, secrets) = await StartWithSecretsAsync();
        await using var _ = started;
        var secret = secrets.Of(kind);
        var json = JsonSerializer.Serialize(secret);
        var (method, path, body, expected) = where switch
        {
            "query parameter of a route whose body is the request" =>
                ("POST", "/v1/sessions:refresh?" + secret, "{\"refresh_token\":\"x\"}", $"The query parameter of {QueryName(secret).Length} characters is not read: Refresh takes its request as the JSON body"),
            "query parameter of a route that reads none" =>
                ("GET", "/v1/keys?" + secret, null, $"The query parameter of {QueryName(secret).Length} characters is not read: GetKeys takes no query parameters"),
            "query parameter of a route with a path variable" =>
                ("GET", ListSessionsPath + "?" + secret + "=x", null, $"The query parameter of {QueryName(secret).Length} characters is not read: ListSessions takes no query parameters"),
            "field of the body" =>
                ("POST", "/v1/sessions:refresh", $"{{{json}:\"x\"}}", $"The body of Refresh has an unknown field of {secret.Length} characters: Refresh takes the fields refresh_token"),
            "field of a nested message" =>
                ("POST", "/v1/sessions", $"{{\"user_id\":\"{Uuid}\",\"claims\":{{\"role\":{{{json}:\"admin\"}}}}}}", $"claims[\"role\"] has an unknown field of {secret.Length} characters: it takes the fields string_value"),
            "key of the claims map, with a null value" =>
                ("POST", "/v1/sessions", $"{{\"user_id\":\"{Uuid}\",\"claims\":{{{json}:null}}}}", $"claims[a key of {secret.Length} characters] is null: it must be a JSON object."),
            "key of the claims map, without a value" =>
                ("POST", "/v1/sessions", $"{{\"user_id\":\"{Uuid}\",\"claims\":{{{json}:{{}}}}}}", $"claim of {secret.Length} characters has no value: set one of string_value"),
            _ =>
                ("POST", "/v1/sessions", $"{{\"user_id\":\"{Uuid}\",\"claims\":{{{json}:{{}},{json}:{{}}}}}}", $"claims has the key of {secret.Length} characters twice: send each key once."),
        };

        var (status, message, everything) = await SendForEchoAsync(started, secrets.ApiKey, method, path, body);

        AssertNotRepeated(secret, kind, "the answer", everything);
        AssertNotLogged(started, secret, kind);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(expected, message, StringComparison.Ordinal);
    }

    // A refresh token and a JWT are valid HTTP method tokens (curl -X <token>); a base64 API key is not ('/', '=').
    [Theory]
    [InlineData("refresh token")]
    [InlineData("JWT")]
    public async Task A_secret_sent_as_the_HTTP_method_is_not_repeated_in_the_answer_nor_in_the_log(string kind)
    {
        var (started, secrets) = await StartWithSecretsAsync();
        await using var _ = started;
        var secret = secrets.Of(kind);

        var (status, message, everything) = await SendForEchoAsync(started, secrets.ApiKey, secret, "/v1/sessions", null);

        AssertNotRepeated(secret, kind, "the answer", everything);
        AssertNotLogged(started, secret, kind);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal($"/v1/sessions takes POST, not a method of {secret.Length} characters: POST /v1/sessions is Create" + CreateBody, message);
    }

    // What the query makes of a name sent without '=': the whole of it, '+' read as a space; '=' ends it.
    private static string QueryName(string sent) => sent.Split('=')[0].Replace('+', ' ');

    [Theory]
    [InlineData("GET", ListSessionsPath + "?user_idd=1", null, "The query parameter 'user_idd' is not read: ListSessions takes no query parameters (user_id is in the path): send the URL without a query string.")]
    [InlineData("POST", "/v1/sessions:refresh?refresh_token=x", "{\"refresh_token\":\"x\"}", "The query parameter 'refresh_token' is not read: Refresh takes its request as the JSON body, not in the query: send the URL without a query string.")]
    [InlineData("POST", "/v1/sessions:refresh", "{\"refresh_tokn\":\"x\"}", "The body of Refresh has an unknown field 'refresh_tokn': Refresh takes the fields refresh_token (or their lowerCamelCase JSON names). Check the spelling, or leave the field out.")]
    [InlineData("POST", "/v1/sessions", "{\"user_idd\":\"" + Uuid + "\"}", "The body of Create has an unknown field 'user_idd': Create takes the fields user_id, claims, with_refresh_token, client_description (or their lowerCamelCase JSON names). Check the spelling, or leave the field out.")]
    [InlineData("POST", "/v1/sessions", "{\"user_id\":\"" + Uuid + "\",\"client_descriptionn\":\"x\"}", "The body of Create has an unknown field 'client_descriptionn': Create takes the fields user_id, claims, with_refresh_token, client_description (or their lowerCamelCase JSON names). Check the spelling, or leave the field out.")]
    [InlineData("POST", "/v1/sessions", "{\"user_id\":\"" + Uuid + "\",\"claims\":{\"role\":{\"string_valu\":\"admin\"}}}", "claims[\"role\"] has an unknown field 'string_valu': it takes the fields string_value, integer_value, number_value, bool_value, strings_value, json_value (or their lowerCamelCase JSON names). Check the spelling, or leave the field out.")]
    [InlineData("POST", "/v1/sessions", "{\"user_id\":\"" + Uuid + "\",\"claims\":{\"auth-level\":null}}", "claims[\"auth-level\"] is null: it must be a JSON object.")]
    [InlineData("POST", "/v1/sessions", "{\"user_id\":\"" + Uuid + "\",\"claims\":{\"tenant\":{}}}", "claim 'tenant' has no value: set one of string_value, integer_value, number_value, bool_value, strings_value, json_value.")]
    // Not a name's characters (a quote, a space, a letter outside ASCII): described, not repeated.
    [InlineData("POST", "/v1/sessions", "{\"user_id\":\"" + Uuid + "\",\"us'er\":1}", "The body of Create has an unknown field of 5 characters: Create takes the fields user_id, claims, with_refresh_token, client_description (or their lowerCamelCase JSON names). Check the spelling, or leave the field out.")]
    [InlineData("GET", "/v1/keys?user+id=1", null, "The query parameter of 7 characters is not read: GetKeys takes no query parameters: send the URL without a query string.")]
    [InlineData("POST", "/v1/sessions", "{\"us\u00e9r_id\":\"" + Uuid + "\"}", "The body of Create has an unknown field of 7 characters: Create takes the fields user_id, claims, with_refresh_token, client_description (or their lowerCamelCase JSON names). Check the spelling, or leave the field out.")]
    public async Task A_short_misspelt_name_is_still_named(string method, string path, string? body, string expected)
    {
        await using var started = await StartAsync("--SESSIONS_API_KEY=" + ApiKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add(SessionsApiKeyDefaults.MetadataKey, ApiKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await started.Http.SendAsync(request);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((int)StatusCode.InvalidArgument, error.GetProperty("code").GetInt32());
        Assert.Equal(expected, error.GetProperty("message").GetString());
    }
}

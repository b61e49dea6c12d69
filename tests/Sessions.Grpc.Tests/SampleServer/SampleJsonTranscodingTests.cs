using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sessions.Grpc.Tests.Infrastructure;
using Sessions.SampleServer;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// The sample server's sessions service as JSON over HTTP/1.1 on <c>HTTP_PORT</c> (the HTTP rules of sessions.proto):
/// what <c>curl</c> gets. A transcoded call is the same call as over gRPC: the privileged-call check with the
/// <c>x-api-key</c> header, the status mapped to an HTTP status with its message, the failure reason as a header, the
/// log line and the measurement.
/// </summary>
public sealed partial class SampleJsonTranscodingTests
{
    private const string ApiKey = "sample-api-key-from-the-environment-0123456789";

    private sealed record Started(LoopbackServer Server, LogCollector Logs, HttpClient Http) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Server.DisposeAsync();
        }
    }

    private static async Task<Started> StartAsync(params string[] settings)
    {
        var logs = new LogCollector();
        var app = Program.Build(
            ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", .. settings],
            services => services.AddSingleton<ILoggerProvider>(logs));
        var server = await LoopbackServer.StartAsync(app);
        // The second listener is HTTP_PORT; HttpClient speaks HTTP/1.1 unless told otherwise.
        var http = new HttpClient { BaseAddress = new Uri(server.Addresses[1]), DefaultRequestVersion = HttpVersion.Version11 };
        return new Started(server, logs, http);
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body, HttpStatusCode expected, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (apiKey is not null)
        {
            request.Headers.Add(SessionsApiKeyDefaults.MetadataKey, apiKey);
        }

        using var response = await http.SendAsync(request);
        Assert.Equal(HttpVersion.Version11, response.Version);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: {(int)response.StatusCode} {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task A_JSON_request_with_the_x_api_key_header_twice_is_a_401_that_says_to_send_it_once()
    {
        await using var started = await StartAsync("--JWT_SECRET=transcoding-test-secret-0123456789-abcdef", "--SESSIONS_API_KEY=" + ApiKey);
        const string Expected = "Create is a privileged call and the x-api-key header (gRPC metadata) was sent more than once: send it once, with the key.";

        // HttpClient joins the two values into one comma-separated field, as HTTP allows.
        var joined = await PostAsync(started.Http, "/v1/sessions", new { user_id = TestTokens.UserId }, HttpStatusCode.Unauthorized, ApiKey + ", " + ApiKey);
        // Two separate fields, as a raw HTTP/1.1 request.
        var body = "{\"user_id\":\"" + TestTokens.UserId + "\"}";
        var uri = new Uri(started.Server.Addresses[1]);
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(uri.Host, uri.Port);
        await using var stream = socket.GetStream();
        var raw = $"POST /v1/sessions HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\nx-api-key: {ApiKey}\r\nx-api-key: {ApiKey}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(raw));
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((int)StatusCode.Unauthenticated, joined.GetProperty("code").GetInt32());
        Assert.Equal(Expected, joined.GetProperty("message").GetString());
        Assert.StartsWith("HTTP/1.1 401", response, StringComparison.Ordinal);
        Assert.Contains(JsonSerializer.Serialize(Expected), response, StringComparison.Ordinal);
        Assert.DoesNotContain(started.Logs.Lines, line => line.Message.Contains(ApiKey, StringComparison.Ordinal));
        Assert.True((await PostAsync(started.Http, "/v1/sessions", new { user_id = TestTokens.UserId }, HttpStatusCode.OK, ApiKey)).GetProperty("valid").GetBoolean());
    }

    [Theory]
    [InlineData("/v1/sessions", true)]
    [InlineData("/v1/sessions:validate", true)]
    [InlineData("/v1/sessions", false)]
    public async Task A_JSON_request_over_the_128_KiB_limit_is_a_413_without_being_read_in_full(string path, bool declaresItsLength)
    {
        await using var started = await StartAsync("--JWT_SECRET=transcoding-test-secret-0123456789-abcdef");
        // A request the service would accept but for its size: whitespace is valid JSON, and free to send.
        var padded = "{\"user_id\":\"" + TestTokens.UserId + "\"," + new string(' ', SessionsService.MaxReceiveMessageSize) + "\"token\":\"x\"}";
        using var content = new StringContent(padded, System.Text.Encoding.UTF8, "application/json");
        if (!declaresItsLength)
        {
            content.Headers.ContentLength = null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = declaresItsLength ? content : new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(padded))) };
        if (!declaresItsLength)
        {
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.TransferEncodingChunked = true;
        }

        request.Headers.Add(SessionsApiKeyDefaults.MetadataKey, ApiKey);
        using var response = await started.Http.SendAsync(request);

        // Refused at once when the length is declared, at the limit as it arrives otherwise: 413 with
        // RESOURCE_EXHAUSTED, not the 400 INVALID_ARGUMENT JSON transcoding answers on its own.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)StatusCode.ResourceExhausted, error.GetProperty("code").GetInt32());
        Assert.Equal($"The body is larger than the limit of {SessionsService.MaxReceiveMessageSize} bytes: send a smaller body.", error.GetProperty("message").GetString());
        // The same request within the limit is served: the size alone was refused. A body of several KiB (more than
        // one buffer segment, checked and then read again by JSON transcoding) too, declared or chunked.
        var small = await PostAsync(started.Http, "/v1/sessions", new { user_id = TestTokens.UserId }, HttpStatusCode.OK);
        Assert.True(small.GetProperty("valid").GetBoolean());
        var padding = "{\"user_id\":\"" + TestTokens.UserId + "\"," + new string(' ', 20_000) + "\"with_refresh_token\":true,\"client_description\":\"padded\"}";
        using var padded1 = new StringContent(padding, System.Text.Encoding.UTF8, "application/json");
        using var declared = await started.Http.PostAsync("/v1/sessions", padded1);
        using var padded2 = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(padding)));
        padded2.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions") { Content = padded2, Headers = { TransferEncodingChunked = true } };
        using var streamed = await started.Http.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.OK, declared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
    }

    [Fact]
    public async Task Create_over_HTTP_1_1_returns_a_token_that_Validate_finds_valid_with_one_log_line_each()
    {
        await using var started = await StartAsync("--JWT_SECRET=transcoding-test-secret-0123456789-abcdef");

        var created = await PostAsync(started.Http, "/v1/sessions", new { user_id = TestTokens.UserId }, HttpStatusCode.OK);
        var token = created.GetProperty("token").GetString()!;
        var validated = await PostAsync(started.Http, "/v1/sessions:validate", new { token }, HttpStatusCode.OK);

        Assert.True(created.GetProperty("valid").GetBoolean());
        Assert.True(TestTokens.IsSignedWith(token, "transcoding-test-secret-0123456789-abcdef"));
        Assert.Equal(86400, created.GetProperty("expiredAt").GetInt64() - created.GetProperty("issuedAt").GetInt64());
        Assert.True(validated.GetProperty("valid").GetBoolean());
        Assert.Equal(TestTokens.UserId, validated.GetProperty("subject").GetString());
        var sessionId = created.GetProperty("sessionId").GetString();
        Assert.Equal(sessionId, validated.GetProperty("sessionId").GetString());
        // The token is the gRPC one: a gRPC client validates it too.
        Assert.True((await started.Server.Client.ValidateAsync(new ValidateTokenRequest { Token = token })).Valid);

        Assert.Single(started.Logs.Lines, line => line.Message.StartsWith($"Sessions.Create issued session={sessionId} in ", StringComparison.Ordinal));
        Assert.Equal(2, started.Logs.Lines.Count(line => line.Message.StartsWith($"Sessions.Validate valid session={sessionId} in ", StringComparison.Ordinal)));
        Assert.DoesNotContain(started.Logs.Lines, line => line.Message.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_token_is_a_400_with_the_reason_as_message_and_header()
    {
        await using var started = await StartAsync();

        using var response = await started.Http.PostAsJsonAsync("/v1/sessions:validate", new { token = "a.b.c" });
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((int)StatusCode.InvalidArgument, error.GetProperty("code").GetInt32());
        Assert.Equal("token is malformed", error.GetProperty("message").GetString());
        Assert.Equal("malformed", Assert.Single(response.Headers.GetValues(SessionsMetadataKeys.FailureReason)));
        Assert.Single(started.Logs.Lines, line => line.Message.StartsWith("Sessions.Validate malformed ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_user_id_that_is_not_a_UUID_is_a_400_saying_what_a_user_id_is()
    {
        await using var started = await StartAsync();

        var error = await PostAsync(started.Http, "/v1/sessions", new { user_id = "alice" }, HttpStatusCode.BadRequest);

        Assert.Equal("user_id must be a UUID, e.g. 3f2504e0-4f89-11d3-9a0c-0305e82c3301.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task With_SESSIONS_API_KEY_Create_needs_the_x_api_key_header_401_without_it_403_with_a_wrong_one()
    {
        await using var started = await StartAsync("--SESSIONS_API_KEY=" + ApiKey);
        var body = new { user_id = TestTokens.UserId };

        var anonymous = await PostAsync(started.Http, "/v1/sessions", body, HttpStatusCode.Unauthorized);
        var wrong = await PostAsync(started.Http, "/v1/sessions", body, HttpStatusCode.Forbidden, apiKey: "a-wrong-key-" + ApiKey);
        var created = await PostAsync(started.Http, "/v1/sessions", body, HttpStatusCode.OK, apiKey: ApiKey);

        Assert.Equal("Create is a privileged call and needs credentials: the x-api-key header (gRPC metadata).", anonymous.GetProperty("message").GetString());
        Assert.Equal((int)StatusCode.PermissionDenied, wrong.GetProperty("code").GetInt32());
        // Validate is the holder's own call: no key.
        await PostAsync(started.Http, "/v1/sessions:validate", new { token = created.GetProperty("token").GetString() }, HttpStatusCode.OK);
        Assert.Single(started.Logs.Lines, line => line.Message.StartsWith("Sessions.Create issued ", StringComparison.Ordinal));
        Assert.DoesNotContain(started.Logs.Lines, line => line.Message.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_Revoke_and_GetKeys_work_over_HTTP_and_a_revoked_token_is_refused_as_revoked()
    {
        await using var started = await StartAsync("--SESSIONS_API_KEY=" + ApiKey);

        var created = await PostAsync(started.Http, "/v1/sessions", new { user_id = TestTokens.UserId, with_refresh_token = true }, HttpStatusCode.OK, apiKey: ApiKey);
        var refreshed = await PostAsync(started.Http, "/v1/sessions:refresh", new { refresh_token = created.GetProperty("refreshToken").GetString() }, HttpStatusCode.OK);
        var token = refreshed.GetProperty("token").GetString()!;
        var revoked = await PostAsync(started.Http, "/v1/sessions:revoke", new { token }, HttpStatusCode.OK);
        using var afterRevoke = await started.Http.PostAsJsonAsync("/v1/sessions:validate", new { token });
        var keys = await started.Http.GetFromJsonAsync<JsonElement>("/v1/keys");
        using var list = new HttpRequestMessage(HttpMethod.Get, $"/v1/users/{TestTokens.UserId}/sessions") { Headers = { { SessionsApiKeyDefaults.MetadataKey, ApiKey } } };
        using var listed = await started.Http.SendAsync(list);

        Assert.Equal(created.GetProperty("chainId").GetString(), refreshed.GetProperty("chainId").GetString());
        Assert.True(revoked.GetProperty("revoked").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, afterRevoke.StatusCode);
        Assert.Equal("revoked", Assert.Single(afterRevoke.Headers.GetValues(SessionsMetadataKeys.FailureReason)));
        Assert.Equal("{\"keys\":[]}", keys.GetProperty("jwksJson").GetString());
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }

    [Fact]
    public async Task A_transcoded_call_is_measured_as_a_gRPC_call_is()
    {
        await using var started = await StartAsync();
        var meterFactory = started.Server.App.Services.GetRequiredService<IMeterFactory>();
        var measured = new List<string>();
        using var listener = new MeterListener();
        // Listeners are process-wide and tests run in parallel: listen only to this host's meter.
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SessionsTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, _, _) => { lock (measured) { measured.Add(instrument.Name); } });
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => { lock (measured) { measured.Add(instrument.Name); } });
        listener.Start();

        await PostAsync(started.Http, "/v1/sessions", new { user_id = TestTokens.UserId }, HttpStatusCode.OK);

        lock (measured)
        {
            Assert.Single(measured, name => name == "sessions.issued");
            Assert.Single(measured, name => name == "rpc.server.call.duration");
        }
    }
}

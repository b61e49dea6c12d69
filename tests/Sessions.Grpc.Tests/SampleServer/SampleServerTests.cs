using Microsoft.Extensions.DependencyInjection;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.SampleServer;

public sealed class SampleServerTests
{
    private const string JwtSecret = "sample-secret-from-the-environment-0123456789";

    private static async Task<LoopbackServer> StartAsync(params string[] settings)
    {
        var app = Sessions.SampleServer.Program.Build(["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", .. settings]);
        return await LoopbackServer.StartAsync(app);
    }

    [Fact]
    public async Task A_refused_call_writes_its_one_line_and_no_second_one_from_grpc_dotnet()
    {
        var logs = new LogCollector();
        var app = Sessions.SampleServer.Program.Build(
            ["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1"],
            services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        await using var server = await LoopbackServer.StartAsync(app);

        var refused = await Assert.ThrowsAsync<RpcException>(() => server.Client.ValidateAsync(new ValidateTokenRequest { Token = "a.b.c" }).ResponseAsync);
        var invalid = await Assert.ThrowsAsync<RpcException>(() => server.Client.CreateAsync(new CreateRequest { UserId = "not-a-uuid" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Single(logs.Lines, line => line.Message.StartsWith("Sessions.Validate malformed ", StringComparison.Ordinal));
        Assert.Single(logs.Lines, line => line.Message.StartsWith("Sessions.Create invalid_user_id ", StringComparison.Ordinal));
        // grpc-dotnet's "Error status code 'InvalidArgument' with detail ... raised." says it again, for every refused call.
        Assert.DoesNotContain(logs.Lines, line => line.Category.StartsWith("Grpc.AspNetCore.Server", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--JWT_SECRET=" + JwtSecret, "--JWT_EXPIRATION=1h30m", 5400)]
    [InlineData("--Sessions:Secret=" + JwtSecret, "--Sessions:Lifetime=00:10:00", 600)]
    [InlineData("--JWT_SECRET=" + JwtSecret, "--Sessions:Lifetime=00:10:00", 600)]
    public async Task Secret_and_lifetime_come_from_JWT_variables_or_standard_configuration(string secret, string lifetime, long seconds)
    {
        await using var server = await StartAsync(secret, lifetime);

        var created = await server.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        Assert.Equal(seconds, created.ExpiredAt - created.IssuedAt);
        Assert.True(TestTokens.IsSignedWith(created.Token, JwtSecret));
        Assert.True((await server.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
    }

    [Fact]
    public async Task JWT_SECRET_wins_over_Sessions_Secret()
    {
        await using var server = await StartAsync("--JWT_SECRET=" + JwtSecret, "--Sessions:Secret=configured-secret-that-is-32-bytes-or-more");

        var created = await server.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        Assert.True(TestTokens.IsSignedWith(created.Token, JwtSecret));
    }

    [Fact]
    public async Task Starts_without_any_configuration_with_a_random_secret_and_a_24_hour_lifetime()
    {
        await using var server = await StartAsync();

        var created = await server.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        Assert.Equal(86400, created.ExpiredAt - created.IssuedAt);
        Assert.True((await server.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("24")]
    [InlineData("1d")]
    [InlineData("-1h")]
    [InlineData("0")]
    public void Invalid_JWT_EXPIRATION_stops_start_up_with_a_message_naming_it(string value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            Sessions.SampleServer.Program.Build(["--PORT=0", "--LISTEN_ADDRESS=127.0.0.1", $"--JWT_EXPIRATION={value}"]));

        Assert.Contains("JWT_EXPIRATION", ex.Message, StringComparison.Ordinal);
        Assert.Contains("24h", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_reflection_lists_the_sessions_service()
    {
        await using var server = await StartAsync();
        var reflection = new ServerReflection.ServerReflectionClient(server.Channel);

        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("sessions.Sessions", names);
        Assert.Contains("grpc.health.v1.Health", names);
    }

    [Fact]
    public async Task Server_reflection_v1_describes_the_sessions_service_as_grpcurl_asks()
    {
        await using var server = await StartAsync();
        var reflection = new global::Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(server.Channel);

        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1.ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1.ServerReflectionRequest { FileContainingSymbol = "sessions.Sessions" });
        await call.RequestStream.CompleteAsync();

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("sessions.Sessions", names);
        Assert.Contains("grpc.reflection.v1.ServerReflection", names);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes)).ToList();
        Assert.Contains(files, f => f.Package == "sessions" && f.Service.Any(s => s.Name == "Sessions"));
    }

    [Fact]
    public async Task Health_service_reports_serving()
    {
        await using var server = await StartAsync();
        var health = new Health.HealthClient(server.Channel);

        var reply = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0, 0 }, StatusCode.InvalidArgument)]
    [InlineData(new byte[] { 0, 0xFF, 0xFF, 0xFF, 0xFF }, StatusCode.ResourceExhausted)]
    public async Task Health_service_answers_a_broken_frame_header_with_a_status(byte[] body, StatusCode expected)
    {
        // RefuseBrokenGrpcFrames(): grpc-dotnet alone answers these UNKNOWN, with an error and its stack trace in the log.
        await using var server = await StartAsync();

        var (status, message) = await RawGrpcCall.SendAsync(server.Channel.Target, "grpc.health.v1.Health/Check", body);

        Assert.Equal(expected, status);
        Assert.StartsWith("the request's gRPC frame ", message, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest())).Status);
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0, 0 }, StatusCode.InvalidArgument)]
    [InlineData(new byte[] { 0x80, 0, 0, 0, 0 }, StatusCode.InvalidArgument)]
    [InlineData(new byte[] { 0, 0xFF, 0xFF, 0xFF, 0xFF }, StatusCode.ResourceExhausted)]
    public async Task Reflection_answers_a_broken_frame_header_after_a_good_message_with_a_status(byte[] brokenHeader, StatusCode expected)
    {
        // Server reflection streams requests and is open to anyone: the second frame of its stream is checked too.
        await using var server = await StartAsync();
        byte[] listServices = [0x3A, 0x00];   // ServerReflectionRequest { list_services = "" }
        byte[] body = [.. RawGrpcCall.Frame(listServices), .. brokenHeader];

        var (status, message) = await RawGrpcCall.SendAsync(server.Channel.Target, "grpc.reflection.v1.ServerReflection/ServerReflectionInfo", body);

        Assert.Equal(expected, status);
        Assert.StartsWith("the request's gRPC frame ", message, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest())).Status);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 9, 0x3A }, "the request ended 1 bytes into a gRPC message whose frame header declares 9 bytes: send the whole message.")]
    [InlineData(new byte[] { 0, 0, 0 }, "the request ended 3 bytes into a gRPC frame header of 5 bytes: send whole frames, each a 5-byte header and the message it declares.")]
    public async Task Reflection_answers_a_stream_that_ends_inside_a_frame_after_a_good_message_with_invalid_argument(byte[] brokenEnd, string expectedMessage)
    {
        await using var server = await StartAsync();
        byte[] listServices = [0x3A, 0x00];   // ServerReflectionRequest { list_services = "" }
        byte[] body = [.. RawGrpcCall.Frame(listServices), .. brokenEnd];

        var (status, message) = await RawGrpcCall.SendAsync(server.Channel.Target, "grpc.reflection.v1.ServerReflection/ServerReflectionInfo", body);

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Equal(expectedMessage, message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Reflection_a_bidi_stream_may_send_no_message_or_several(int messages)
    {
        // Only a unary or server-streaming method takes exactly one message: a stream of requests may have any number.
        await using var server = await StartAsync();
        byte[] listServices = [0x3A, 0x00];   // ServerReflectionRequest { list_services = "" }
        var body = Enumerable.Range(0, messages).SelectMany(_ => RawGrpcCall.Frame(listServices)).ToArray();

        var (status, message) = await RawGrpcCall.SendAsync(server.Channel.Target, "grpc.reflection.v1.ServerReflection/ServerReflectionInfo", body);

        Assert.Equal(StatusCode.OK, status);
        Assert.Null(message);
    }

    [Fact]
    public async Task Health_watch_a_server_stream_refuses_a_request_with_no_message()
    {
        await using var server = await StartAsync();

        var (status, message) = await RawGrpcCall.SendAsync(server.Channel.Target, "grpc.health.v1.Health/Watch", []);

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Equal("the request ended with no gRPC message, but grpc.health.v1.Health/Watch is server streaming, whose request is exactly one message: send one message and end the request.", message);
    }

    [Fact]
    public async Task Health_service_answers_a_request_that_is_not_in_its_grpc_encoding_with_invalid_argument()
    {
        // AddSessions() checks the decompression of every gRPC service of the host: a health check is open to anyone.
        await using var server = await StartAsync();
        var notGzip = RawGrpcCall.Frame("not gzip"u8.ToArray());
        notGzip[0] = 1;

        var (status, message) = await RawGrpcCall.SendAsync(server.Channel.Target, "grpc.health.v1.Health/Check", notGzip, ("grpc-encoding", "gzip"));

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.StartsWith("the request message could not be decompressed as gzip: ", message, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Healthz_answers_HTTP_probes_on_the_HTTP_1_1_port()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses[1]) };

        using var response = await http.GetAsync("/healthz");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(new string[0], "sessions")]
    [InlineData(new[] { "--OTEL_SERVICE_NAME=edge-sessions" }, "edge-sessions")]
    public async Task Exported_telemetry_names_the_service_sessions_unless_OTEL_SERVICE_NAME_says_otherwise(string[] settings, string serviceName)
    {
        await using var app = Sessions.SampleServer.Program.Build(["--PORT=0", "--HTTP_PORT=0", "--LISTEN_ADDRESS=127.0.0.1", "--SESSIONS_TELEMETRY=console", .. settings]);

        foreach (var provider in new OpenTelemetry.BaseProvider[] { app.Services.GetRequiredService<OpenTelemetry.Trace.TracerProvider>(), app.Services.GetRequiredService<OpenTelemetry.Metrics.MeterProvider>() })
        {
            var attributes = OpenTelemetry.ProviderExtensions.GetResource(provider).Attributes.ToDictionary(a => a.Key, a => a.Value);
            Assert.Equal(serviceName, attributes["service.name"]);
        }
    }

    [Fact]
    public async Task Telemetry_export_can_be_switched_on_and_serves_as_usual()
    {
        await using var server = await StartAsync("--SESSIONS_TELEMETRY=console");
        var client = new Protocol.Sessions.SessionsClient(server.Channel);

        var created = await client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        Assert.True((await client.ValidateAsync(new ValidateTokenRequest { Token = created.Token })).Valid);
        Assert.NotNull(server.App.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Fact]
    public void An_unknown_telemetry_exporter_stops_start_up_with_a_clear_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Sessions.SampleServer.Program.Build(["--PORT=0", "--LISTEN_ADDRESS=127.0.0.1", "--SESSIONS_TELEMETRY=zipkin"]));
        Assert.Contains("SESSIONS_TELEMETRY 'zipkin' is not one of off, console, otlp", error.Message, StringComparison.Ordinal);
    }
}

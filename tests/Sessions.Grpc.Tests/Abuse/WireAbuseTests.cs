using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.Abuse;

/// <summary>
/// Bytes no generated client would send, to every unary method of <c>sessions.Sessions</c> found in the service
/// descriptor — so methods added to the contract later are covered without touching this file — and to the two
/// string fields the protobuf runtime decodes as UTF-8.
/// </summary>
public sealed class WireAbuseTests(AbuseServer server) : IClassFixture<AbuseServer>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    /// <summary>Every unary method of the service, by name.</summary>
    private static readonly string[] MethodNames =
    [
        .. Protocol.Sessions.Descriptor.Methods.Where(m => !m.IsClientStreaming && !m.IsServerStreaming).Select(m => m.Name),
    ];

    private static readonly Dictionary<string, (byte[] Bytes, StatusCode Status)> Garbage = new()
    {
        // The service answers a request that fails to parse as InvalidArgument (grpc-dotnet alone says Unknown,
        // "Exception was thrown by handler.", and logs an error with its stack trace).
        // Field 1, length-delimited, claims 16 bytes but has 1.
        ["truncated field"] = ([0x0A, 0x10, 0x41], StatusCode.InvalidArgument),
        // A varint that never ends.
        ["endless varint"] = ([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], StatusCode.InvalidArgument),
        // Field number 0 is invalid.
        ["field number zero"] = ([0x00, 0x01], StatusCode.InvalidArgument),
        // Wire type 7 does not exist.
        ["wire type 7"] = ([0x0F, 0x01], StatusCode.InvalidArgument),
        // An end-group tag with no group.
        ["unbalanced end group"] = ([0x0C], StatusCode.InvalidArgument),
    };

    public static TheoryData<string> Methods => [.. MethodNames];

    [Fact]
    public void The_descriptor_lists_create_and_validate()
    {
        Assert.Contains("Create", MethodNames);
        Assert.Contains("Validate", MethodNames);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Every_method_refuses_a_10_MB_message_with_resource_exhausted_and_keeps_serving(string method)
    {
        var message = new byte[10 * 1024 * 1024];
        message[0] = 0x0A;
        message.AsSpan(1).Fill((byte)'a');

        var ex = await Assert.ThrowsAsync<RpcException>(() => CallAsync(method, message));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        await server.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_message_one_byte_over_the_documented_limit_is_refused_and_one_at_the_limit_is_read()
    {
        var atLimit = Field1(new string('a', SessionsService.MaxReceiveMessageSize - 4));
        Assert.Equal(SessionsService.MaxReceiveMessageSize, atLimit.Length);
        var over = Field1(new string('a', SessionsService.MaxReceiveMessageSize - 3));

        var read = await Assert.ThrowsAsync<RpcException>(() => CallAsync("Validate", atLimit));
        var refused = await Assert.ThrowsAsync<RpcException>(() => CallAsync("Validate", over));

        Assert.Equal("too_large", read.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        await server.AssertStillServingAsync();
    }

    [Theory]
    [MemberData(nameof(MethodsAndGarbage))]
    public async Task Every_method_refuses_bytes_that_are_not_protobuf_and_keeps_serving(string method, string garbage)
    {
        var (bytes, status) = Garbage[garbage];

        var ex = await Assert.ThrowsAsync<RpcException>(() => CallAsync(method, bytes));

        Assert.Equal(status, ex.StatusCode);
        Assert.StartsWith($"the request could not be read as {InputTypeOf(method)}: ", ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", ex.Status.Detail, StringComparison.Ordinal);
        await server.AssertStillServingAsync();
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task A_request_that_cannot_be_read_gets_the_service_s_line_and_no_warning_or_error(string method)
    {
        var before = server.Logs.Entries.Count;

        var ex = await Assert.ThrowsAsync<RpcException>(() => CallAsync(method, Garbage["field number zero"].Bytes));
        var entries = server.Logs.Entries.Skip(before).ToList();

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var line = Assert.Single(entries, e => e.Contains("MalformedRequest", StringComparison.Ordinal));
        Assert.StartsWith($"Sessions.Grpc.SessionsService Information MalformedRequest: Sessions.{method} malformed_request: the request could not be read as {InputTypeOf(method)}: ", line, StringComparison.Ordinal);

        // grpc-dotnet still notes the failed read at Information, with the exception (the category the sample and
        // the template set to Warning); before, it also logged an error with the stack trace for every such request.
        Assert.DoesNotContain(entries, e => e.Split(' ')[1] is nameof(LogLevel.Warning) or nameof(LogLevel.Error) or nameof(LogLevel.Critical));
    }

    private static string InputTypeOf(string method) => Protocol.Sessions.Descriptor.FindMethodByName(method).InputType.FullName;

    public static TheoryData<string, string> MethodsAndGarbage()
    {
        var rows = new TheoryData<string, string>();
        foreach (var method in MethodNames)
        {
            foreach (var garbage in Garbage.Keys)
            {
                rows.Add(method, garbage);
            }
        }

        return rows;
    }

    [Theory]
    [InlineData("invalid UTF-8", new byte[] { 0xFF, 0xFE, 0x2E, 0x2E })]
    [InlineData("overlong NUL", new byte[] { 0xC0, 0x80 })]
    [InlineData("UTF-16 surrogate (CESU-8)", new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData("truncated sequence", new byte[] { 0x65, 0x79, 0xE2, 0x82 })]
    public async Task Validate_never_sees_a_token_field_that_is_not_UTF8_the_protobuf_runtime_refuses_it(string kind, byte[] token)
    {
        _ = kind;
        var ex = await Assert.ThrowsAsync<RpcException>(() => CallAsync("Validate", Field1(token)));

        AssertRefusedByTheProtobufRuntime(ex, "Validate");
        await server.AssertStillServingAsync();
    }

    [Theory]
    [InlineData("invalid UTF-8", new byte[] { 0xFF, 0xFE, 0xFD })]
    [InlineData("a UUID then invalid UTF-8", new byte[] { 0x33, 0x66, 0x32, 0x35, 0xFF })]
    public async Task Create_never_sees_a_user_id_field_that_is_not_UTF8_the_protobuf_runtime_refuses_it(string kind, byte[] userId)
    {
        _ = kind;
        var ex = await Assert.ThrowsAsync<RpcException>(() => CallAsync("Create", Field1(userId)));

        AssertRefusedByTheProtobufRuntime(ex, "Create");
        await server.AssertStillServingAsync();
    }

    [Fact]
    public async Task Create_never_sees_a_claim_name_that_is_not_UTF8_the_protobuf_runtime_refuses_it()
    {
        // CreateRequest { user_id = UUID, claims = { <0xFF 0xFE>: { string_value = "x" } } }, built by hand.
        byte[] value = [0x0A, 0x01, (byte)'x'];
        byte[] entry = [0x0A, 0x02, 0xFF, 0xFE, 0x12, (byte)value.Length, .. value];
        byte[] request = [.. Field1(System.Text.Encoding.ASCII.GetBytes(TestTokens.UserId)), 0x12, (byte)entry.Length, .. entry];

        Assert.Equal(TestTokens.UserId, CreateRequest.Parser.ParseFrom([.. request[..^entry.Length], .. entry.AsSpan(0, 2), (byte)'a', (byte)'b', .. entry.AsSpan(4)]).UserId);

        var ex = await Assert.ThrowsAsync<RpcException>(() => CallAsync("Create", request));

        AssertRefusedByTheProtobufRuntime(ex, "Create");
        await server.AssertStillServingAsync();
    }

    /// <summary>
    /// Google.Protobuf refuses a string field that is not UTF-8 while parsing the request, before the service runs; the
    /// service answers it as InvalidArgument, saying which message could not be read.
    /// </summary>
    private static void AssertRefusedByTheProtobufRuntime(RpcException ex, string method)
    {
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(
            $"the request could not be read as {InputTypeOf(method)}: String is invalid UTF-8. Send the message sessions.proto defines, with every string in UTF-8.",
            ex.Status.Detail);
        Assert.Null(ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
    }

    [Theory]
    [InlineData("frame flagged compressed without grpc-encoding", new byte[] { 1, 0, 0, 0, 2, 0x0A, 0x00 }, StatusCode.InvalidArgument)]
    [InlineData("frame declaring 2 GB", new byte[] { 0, 0x7F, 0xFF, 0xFF, 0xFF, 0x0A }, StatusCode.ResourceExhausted)]
    [InlineData("frame declaring 129 KiB", new byte[] { 0, 0, 0x02, 0x04, 0x00, 0x0A }, StatusCode.ResourceExhausted)]
    [InlineData("frame declaring 4 GB, past a signed 32-bit length", new byte[] { 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0A }, StatusCode.ResourceExhausted)]
    [InlineData("compressed flag 2", new byte[] { 2, 0, 0, 0, 2, 0x0A, 0x00 }, StatusCode.InvalidArgument)]
    [InlineData("compressed flag 0x80 (a gRPC-Web trailer frame)", new byte[] { 0x80, 0, 0, 0, 2, 0x0A, 0x00 }, StatusCode.InvalidArgument)]
    [InlineData("frame shorter than it declares", new byte[] { 0, 0, 0, 0, 9, 0x0A, 0x00 }, StatusCode.InvalidArgument)]
    [InlineData("two messages to a unary method", new byte[] { 0, 0, 0, 0, 2, 0x0A, 0x00, 0, 0, 0, 0, 2, 0x0A, 0x00 }, StatusCode.InvalidArgument)]
    [InlineData("half a frame header", new byte[] { 0, 0 }, StatusCode.InvalidArgument)]
    [InlineData("no message", new byte[0], StatusCode.InvalidArgument)]
    public async Task Validate_answers_a_broken_grpc_frame_and_keeps_serving(string kind, byte[] body, StatusCode status)
    {
        _ = kind;

        var (answered, _) = await RawGrpcCall.SendAsync(server.Channel.Target, "sessions.Sessions/Validate", body);

        Assert.Equal(status, answered);
        await server.AssertStillServingAsync();
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0, 2, 0x0A, 0x00 }, StatusCode.InvalidArgument, "the request's gRPC frame has compressed flag 2: it must be 0 (not compressed) or 1 (compressed as its grpc-encoding header says).")]
    [InlineData(new byte[] { 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0A }, StatusCode.ResourceExhausted, "the request's gRPC frame declares a message of 4294967295 bytes, more than a gRPC message can hold (2147483647).")]
    public async Task A_frame_header_grpc_dotnet_cannot_report_gets_a_status_a_message_and_one_line_and_no_error(byte[] body, StatusCode expected, string expectedMessage)
    {
        var before = server.Logs.Entries.Count;

        var (status, message) = await RawGrpcCall.SendAsync(server.Channel.Target, "sessions.Sessions/Validate", body);
        var entries = server.Logs.Entries.Skip(before).ToList();

        Assert.Equal(expected, status);
        Assert.Equal(expectedMessage, message);
        Assert.Single(entries, e => e.StartsWith("Sessions.Grpc.SessionsService Information UnreadableRequest: gRPC request message refused before its service read it: " + expectedMessage + " |", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Split(' ')[1] is nameof(LogLevel.Warning) or nameof(LogLevel.Error) or nameof(LogLevel.Critical));
        await server.AssertStillServingAsync();
    }

    /// <summary>
    /// Framing grpc-dotnet alone answers INTERNAL ("Incomplete message.", "Additional data after the message
    /// received.", "Request did not include grpc-encoding value with compressed message."...), with no line of ours.
    /// </summary>
    public static TheoryData<string, byte[], string?, string> BrokenFraming => new()
    {
        {
            "compressed flag 1 without grpc-encoding", [1, 0, 0, 0, 2, 0x0A, 0x00], null,
            "the request's gRPC frame has compressed flag 1 but the request has no grpc-encoding header to name its compression: send grpc-encoding naming the compression used, or compressed flag 0 (not compressed)."
        },
        {
            "compressed flag 1 with grpc-encoding identity", [1, 0, 0, 0, 2, 0x0A, 0x00], "identity",
            "the request's gRPC frame has compressed flag 1 but its grpc-encoding header is identity, which is no compression: send grpc-encoding naming the compression used, or compressed flag 0 (not compressed)."
        },
        {
            "a frame declaring 500 bytes with 40 sent", [0, 0, 0, 0x01, 0xF4, .. Enumerable.Repeat((byte)0x08, 40)], null,
            "the request ended 40 bytes into a gRPC message whose frame header declares 500 bytes: send the whole message."
        },
        {
            "a frame declaring 9 bytes with 2 sent", [0, 0, 0, 0, 9, 0x0A, 0x00], null,
            "the request ended 2 bytes into a gRPC message whose frame header declares 9 bytes: send the whole message."
        },
        {
            "3 bytes of a frame header", [0, 0, 0], null,
            "the request ended 3 bytes into a gRPC frame header of 5 bytes: send whole frames, each a 5-byte header and the message it declares."
        },
        {
            "no message", [], null,
            "the request ended with no gRPC message, but sessions.Sessions/Validate is unary, whose request is exactly one message: send one message and end the request."
        },
        {
            "two messages", [0, 0, 0, 0, 2, 0x0A, 0x00, 0, 0, 0, 0, 2, 0x0A, 0x00], null,
            "the request goes on after its gRPC message, but sessions.Sessions/Validate is unary, whose request is exactly one message: send one message and end the request."
        },
        {
            "a message and 3 bytes of a second frame header", [0, 0, 0, 0, 2, 0x0A, 0x00, 0, 0, 0], null,
            "the request goes on after its gRPC message, but sessions.Sessions/Validate is unary, whose request is exactly one message: send one message and end the request."
        },
    };

    [Theory]
    [MemberData(nameof(BrokenFraming))]
    public async Task Broken_framing_gets_invalid_argument_a_message_and_one_line_and_no_error(string kind, byte[] body, string? grpcEncoding, string expectedMessage)
    {
        _ = kind;
        var before = server.Logs.Entries.Count;

        var (status, message) = await RawGrpcCall.SendAsync(server.Channel.Target, "sessions.Sessions/Validate", body, grpcEncoding is null ? [] : [("grpc-encoding", grpcEncoding)]);
        var entries = server.Logs.Entries.Skip(before).ToList();

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Equal(expectedMessage, message);
        AssertOneRefusalLineAndNoError(entries, expectedMessage);
        await server.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_message_cut_short_after_the_call_began_is_refused_when_the_request_ends()
    {
        // The header and part of the message with the request, the end of the stream a moment later: grpc-dotnet is
        // already waiting for the rest of the message.
        var body = new System.IO.Pipelines.Pipe();
        using var content = new StreamContent(body.Reader.AsStream());
        var before = server.Logs.Entries.Count;
        var call = RawGrpcCall.SendAsync(server.Channel.Target, "sessions.Sessions/Validate", content);
        await body.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 9, 0x0A, 0x00 });
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await body.Writer.CompleteAsync();

        var (status, message) = await call;
        var entries = server.Logs.Entries.Skip(before).ToList();

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Equal("the request ended 2 bytes into a gRPC message whose frame header declares 9 bytes: send the whole message.", message);
        AssertOneRefusalLineAndNoError(entries, message);
        await server.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_second_message_that_arrives_after_the_first_is_refused()
    {
        var body = new System.IO.Pipelines.Pipe();
        using var content = new StreamContent(body.Reader.AsStream());
        var call = RawGrpcCall.SendAsync(server.Channel.Target, "sessions.Sessions/Validate", content);
        await body.Writer.WriteAsync(RawGrpcCall.Frame([0x0A, 0x00]));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await body.Writer.WriteAsync(RawGrpcCall.Frame([0x0A, 0x00]));
        await body.Writer.CompleteAsync();

        var (status, message) = await call;

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.StartsWith("the request goes on after its gRPC message, but sessions.Sessions/Validate is unary", message, StringComparison.Ordinal);
        await server.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_frame_cut_short_past_the_size_limit_is_still_resource_exhausted_naming_the_limit()
    {
        // A header past MaxReceiveMessageSize is refused as soon as it is read: a body that also ends inside that
        // message gets the size answer, which names the limit (grpc-dotnet's own does not).
        var (status, message) = await RawGrpcCall.SendAsync(server.Channel.Target, "sessions.Sessions/Validate", [0, 0, 0x02, 0x04, 0x00, 0x0A]);

        Assert.Equal(StatusCode.ResourceExhausted, status);
        Assert.Equal("the request's gRPC message is 132096 bytes, more than the limit of 131072 bytes (128 KiB) of sessions.Sessions/Validate: send a message of at most 131072 bytes.", message);
        await server.AssertStillServingAsync();
    }

    private static void AssertOneRefusalLineAndNoError(List<string> entries, string? expectedMessage)
    {
        Assert.Single(entries, e => e.StartsWith("Sessions.Grpc.SessionsService Information UnreadableRequest: gRPC request message refused before its service read it: " + expectedMessage + " |", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Split(' ')[1] is nameof(LogLevel.Warning) or nameof(LogLevel.Error) or nameof(LogLevel.Critical));

        // The only exception in the log is the refusal itself, which grpc-dotnet notes at Information ("Error reading
        // message.", the category the sample and the template set to Warning).
        var refusal = $"Grpc.Core.RpcException: Status(StatusCode=\"InvalidArgument\", Detail=\"{expectedMessage}\")";
        Assert.DoesNotContain(entries, e => e.Contains("Exception", StringComparison.Ordinal) && !e.Contains(refusal, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_frame_header_that_arrives_after_the_call_began_is_checked_too()
    {
        // The first byte with the request, the rest a moment later: grpc-dotnet is already waiting for the message.
        var body = new System.IO.Pipelines.Pipe();
        using var content = new StreamContent(body.Reader.AsStream());
        var call = RawGrpcCall.SendAsync(server.Channel.Target, "sessions.Sessions/Validate", content);
        await body.Writer.WriteAsync(new byte[] { 2 });
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await body.Writer.WriteAsync(new byte[] { 0, 0, 0, 2, 0x0A, 0x00 });
        await body.Writer.CompleteAsync();

        var (status, message) = await call;

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.StartsWith("the request's gRPC frame has compressed flag 2: ", message, StringComparison.Ordinal);
        await server.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_compressed_message_is_limited_once_decompressed_not_only_as_sent()
    {
        // 10 MB of one letter compress to about 10 KB. grpc-dotnet (since 2.8x) applies the limit to the
        // decompressed message too; this keeps it so, as SECURITY.md says.
        var bomb = RawGrpcCall.Frame(Field1(new string('a', 10 * 1024 * 1024)), gzip: true);
        Assert.InRange(bomb.Length, 1, SessionsService.MaxReceiveMessageSize);
        var before = server.Logs.Entries.Count;

        var (status, _) = await RawGrpcCall.SendAsync(server.Channel.Target, "sessions.Sessions/Validate", bomb, ("grpc-encoding", "gzip"));
        var entries = server.Logs.Entries.Skip(before).ToList();

        Assert.Equal(StatusCode.ResourceExhausted, status);
        Assert.DoesNotContain(entries, e => e.Split(' ')[1] is nameof(LogLevel.Warning) or nameof(LogLevel.Error) or nameof(LogLevel.Critical));
        await server.AssertStillServingAsync();
    }

    [Theory]
    [InlineData("gzip", "not gzip at all")]
    [InlineData("deflate", "not deflate either")]
    public async Task A_message_that_is_not_in_its_grpc_encoding_is_invalid_argument_without_an_error_in_the_log(string encoding, string data)
    {
        var body = RawGrpcCall.Frame(System.Text.Encoding.ASCII.GetBytes(data));
        body[0] = 1;
        var before = server.Logs.Entries.Count;

        var (status, message) = await RawGrpcCall.SendAsync(server.Channel.Target, "sessions.Sessions/Validate", body, ("grpc-encoding", encoding));
        var entries = server.Logs.Entries.Skip(before).ToList();

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.StartsWith($"the request message could not be decompressed as {encoding}: ", message, StringComparison.Ordinal);
        Assert.EndsWith(" Send it compressed as its grpc-encoding header says, or uncompressed.", message, StringComparison.Ordinal);
        Assert.Single(entries, e => e.StartsWith("Sessions.Grpc.SessionsService Information UnreadableRequest: gRPC request message refused before its service read it: the request message could not be decompressed as ", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Split(' ')[1] is nameof(LogLevel.Warning) or nameof(LogLevel.Error) or nameof(LogLevel.Critical));
        await server.AssertStillServingAsync();
    }

    [Theory]
    [InlineData("Validate")]
    [InlineData("Refresh")]
    public async Task A_call_the_client_cancels_before_its_request_is_read_logs_no_error_and_no_stack_trace(string method)
    {
        // A client that gives up mid-request (a cancelled call, a deadline on its side) resets the stream while
        // grpc-dotnet waits for the message: its read failed with "The client reset the request stream.", which
        // grpc-dotnet logged with its stack trace, as an error whenever Kestrel had not yet signalled RequestAborted
        // (a race: a few calls in a hundred on a busy machine). Twenty cancelled calls, each to the end of its line.
        var before = server.Logs.Entries.Count;
        for (var i = 0; i < 20; i++)
        {
            var body = new System.IO.Pipelines.Pipe();
            using var content = new StreamContent(body.Reader.AsStream());
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri("http://" + server.Channel.Target), "sessions.Sessions/" + method))
            {
                Content = content,
                Version = System.Net.HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.TE.ParseAdd("trailers");
            using var cancel = new CancellationTokenSource();

            var ended = server.Logs.Entries.Skip(before).Count(IsCallEnd);
            var call = http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            await body.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 9, 0x0A });
            await Task.Delay(TimeSpan.FromMilliseconds(20 + i));
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

            // The server ends the call once it has seen the reset: grpc-dotnet notes it (Information or above).
            var deadline = DateTime.UtcNow.AddSeconds(2);
            while (server.Logs.Entries.Skip(before).Count(IsCallEnd) <= ended && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }
        }

        var entries = server.Logs.Entries.Skip(before).ToList();
        Assert.InRange(entries.Count(IsCallEnd), 10, 20);
        var errors = entries.Where(e => e.Split(' ')[1] is nameof(LogLevel.Warning) or nameof(LogLevel.Error) or nameof(LogLevel.Critical)).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        Assert.DoesNotContain(entries, e => e.Contains("IOException", StringComparison.Ordinal));
        await server.AssertStillServingAsync();

        static bool IsCallEnd(string entry) =>
            entry.StartsWith("Grpc.AspNetCore.Server.ServerCallHandler ", StringComparison.Ordinal)
            && entry.Split(' ')[1] is nameof(LogLevel.Information) or nameof(LogLevel.Warning) or nameof(LogLevel.Error)
            && !entry.Contains("ErrorReadingMessage", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_compresses_its_requests_is_served()
    {
        var compressing = new CallOptions(new Metadata { { "grpc-internal-encoding-request", "gzip" } });

        var created = await server.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }, compressing);
        var validated = await server.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token }, compressing);

        Assert.True(validated.Valid);
    }

    private async Task<byte[]> CallAsync(string method, byte[] message)
    {
        var descriptor = new Method<byte[], byte[]>(MethodType.Unary, Protocol.Sessions.Descriptor.FullName, method, Bytes, Bytes);
        using var call = server.Channel.CreateCallInvoker().AsyncUnaryCall(descriptor, null, new CallOptions(), message);
        return await call.ResponseAsync;
    }

    /// <summary>A message whose only field is field 1, length-delimited, holding <paramref name="value"/>.</summary>
    private static byte[] Field1(byte[] value)
    {
        var length = new List<byte>();
        var n = (uint)value.Length;
        do
        {
            var b = (byte)(n & 0x7F);
            n >>= 7;
            length.Add(n == 0 ? b : (byte)(b | 0x80));
        }
        while (n != 0);

        return [0x0A, .. length, .. value];
    }

    private static byte[] Field1(string value) => Field1(System.Text.Encoding.ASCII.GetBytes(value));
}

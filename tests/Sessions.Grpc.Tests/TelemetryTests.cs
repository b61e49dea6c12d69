using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// One measurement and one activity per call of a real host, named and tagged after the OpenTelemetry semantic
/// conventions for RPC (<c>rpc.*</c>, <c>error.type</c>), counted by outcome and failure reason, never by token.
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Calls_are_timed_with_rpc_attributes_and_counted_by_outcome_and_error_type()
    {
        var measurements = new List<(string Instrument, string? Unit, double Value, Dictionary<string, object?> Tags)>();
        await using var host = await SessionsHost.StartAsync();
        var meterFactory = host.Server.App.Services.GetRequiredService<IMeterFactory>();

        // Listeners are process-wide and tests run in parallel: listen only to this host's meter.
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SessionsTelemetryNames.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });
        await Assert.ThrowsAsync<RpcException>(() => host.Client.ValidateAsync(new ValidateTokenRequest { Token = "a.b.c" }).ResponseAsync);

        lock (measurements)
        {
            Assert.Single(measurements, m => m.Instrument == "sessions.issued");
            var valid = Assert.Single(measurements, m => m.Instrument == "sessions.validations" && (string?)m.Tags["sessions.outcome"] == "valid");
            Assert.False(valid.Tags.ContainsKey("error.type"));
            Assert.Single(measurements, m => m.Instrument == "sessions.validations" && (string?)m.Tags["sessions.outcome"] == "refused" && (string?)m.Tags["error.type"] == "malformed");

            var durations = measurements.Where(m => m.Instrument == "rpc.server.call.duration").ToList();
            Assert.Equal(3, durations.Count);
            Assert.All(durations, d =>
            {
                Assert.Equal("s", d.Unit);
                Assert.Equal("grpc", d.Tags["rpc.system"]);
                Assert.Equal("sessions.Sessions", d.Tags["rpc.service"]);
            });
            var create = Assert.Single(durations, d => (string?)d.Tags["rpc.method"] == "Create");
            Assert.Equal(0, create.Tags["rpc.grpc.status_code"]);
            Assert.False(create.Tags.ContainsKey("error.type"));
            var refused = Assert.Single(durations, d => (string?)d.Tags["rpc.method"] == "Validate" && d.Tags.ContainsKey("error.type"));
            Assert.Equal((int)StatusCode.InvalidArgument, refused.Tags["rpc.grpc.status_code"]);
            Assert.Equal("malformed", refused.Tags["error.type"]);
            Assert.DoesNotContain(measurements, m => m.Tags.Values.Any(v => v is string text && text.Contains(created.Token, StringComparison.Ordinal)));
        }

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, instrument.Unit, value, copy));
            }
        }
    }

    [Fact]
    public async Task Requests_refused_before_the_service_could_read_them_are_counted_by_reason_service_and_method()
    {
        var counted = new List<Dictionary<string, object?>>();
        await using var host = await SessionsHost.StartAsync(
            builder =>
            {
                builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret);
                builder.Services.AddGrpcHealthChecks();
            },
            app =>
            {
                app.MapSessions();
                app.MapGrpcHealthChecksService();
            });
        var meterFactory = host.Server.App.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "sessions.requests.unreadable" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            Assert.Equal(1, value);
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (counted)
            {
                counted.Add(copy);
            }
        });
        listener.Start();
        var target = host.Server.Channel.Target;

        // Field number zero: not protobuf. Compressed flag 2: a broken frame header. "not gzip" sent as gzip.
        var (notProtobuf, _) = await RawGrpcCall.SendAsync(target, "sessions.Sessions/Create", RawGrpcCall.Frame([0x00, 0x01]));
        var (brokenFrame, _) = await RawGrpcCall.SendAsync(target, "sessions.Sessions/Validate", [2, 0, 0, 0, 0]);
        var notGzip = RawGrpcCall.Frame("not gzip"u8.ToArray());
        notGzip[0] = 1;
        var (badCompression, _) = await RawGrpcCall.SendAsync(target, "sessions.Sessions/Validate", notGzip, ("grpc-encoding", "gzip"));
        // Another gRPC service of the host: its method's name alone would be counted as if it were one of sessions.Sessions.
        var (healthFrame, _) = await RawGrpcCall.SendAsync(target, "grpc.health.v1.Health/Check", [2, 0, 0, 0, 0]);
        await host.Client.ValidateAsync(new ValidateTokenRequest { Token = (await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId })).Token });

        Assert.Equal([StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.InvalidArgument], [notProtobuf, brokenFrame, badCompression, healthFrame]);
        lock (counted)
        {
            Assert.Equal(4, counted.Count);
            Assert.Contains(counted, t => (string?)t["error.type"] == "malformed_request" && (string?)t.GetValueOrDefault("rpc.service") == "sessions.Sessions" && (string?)t["rpc.method"] == "Create");
            Assert.Contains(counted, t => (string?)t["error.type"] == "malformed_frame" && (string?)t.GetValueOrDefault("rpc.service") == "sessions.Sessions" && (string?)t["rpc.method"] == "Validate");
            Assert.Contains(counted, t => (string?)t["error.type"] == "malformed_frame" && (string?)t.GetValueOrDefault("rpc.service") == "grpc.health.v1.Health" && (string?)t["rpc.method"] == "Check");
            Assert.Contains(counted, t => (string?)t["error.type"] == "malformed_compression" && !t.ContainsKey("rpc.method") && !t.ContainsKey("rpc.service"));
        }
    }

    [Fact]
    public async Task A_gRPC_content_type_sent_to_an_endpoint_of_the_host_that_is_no_gRPC_method_is_neither_checked_nor_counted()
    {
        // A host endpoint that reads its body through its PipeReader, under a path with a parameter: what the caller puts in the
        // path was the rpc.method tag of sessions.requests.unreadable (one series per value sent), and the endpoint's
        // read threw the frame check's RpcException (a 500).
        var counted = new List<Dictionary<string, object?>>();
        await using var host = await SessionsHost.StartAsync(
            builder => builder.Services.AddSessions(o => o.Secret = SessionsHost.Secret),
            app =>
            {
                app.MapSessions();
                app.MapPost("/uploads/{name}", async (Microsoft.AspNetCore.Http.HttpContext context) =>
                {
                    using var body = new MemoryStream();
                    await context.Request.BodyReader.CopyToAsync(body);
                    return $"{body.Length} bytes";
                });
            });
        var meterFactory = host.Server.App.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "sessions.requests.unreadable" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (counted)
            {
                counted.Add(copy);
            }
        });
        listener.Start();
        using var http = new HttpClient { BaseAddress = new Uri(host.Server.Addresses[0]) };

        var answers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            // Compressed flag 5: a frame header the check refuses on a gRPC method.
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/uploads/u-{i}-{Guid.NewGuid():N}")
            {
                Content = new ByteArrayContent([5, 0, 0, 0, 2, 0x0a, 0x00]),
                Version = System.Net.HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Content.Headers.ContentType = new("application/grpc");
            using var response = await http.SendAsync(request);
            answers.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        // A gRPC method of the host is still checked, and counted by its own name.
        var (brokenFrame, _) = await RawGrpcCall.SendAsync(host.Server.Channel.Target, "sessions.Sessions/Validate", [5, 0, 0, 0, 0]);

        Assert.Equal(["200 7 bytes", "200 7 bytes", "200 7 bytes"], answers);
        Assert.Equal(StatusCode.InvalidArgument, brokenFrame);
        lock (counted)
        {
            var only = Assert.Single(counted);
            Assert.Equal("malformed_frame", only["error.type"]);
            Assert.Equal("Validate", only["rpc.method"]);
            Assert.Equal("sessions.Sessions", only.GetValueOrDefault("rpc.service"));
        }
    }

    [Fact]
    public async Task Each_call_gets_a_span_named_after_its_method_with_rpc_attributes_outcome_and_error_type()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is SessionsTelemetryNames.ActivitySourceName or "Microsoft.AspNetCore" or TestTrace.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (activities) { activities.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await SessionsHost.StartAsync();

        // Other tests run in parallel: only the spans of this trace are this test's.
        TokenReply? created = null;
        var trace = await TestTrace.RunAsync(async () =>
        {
            created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
            await Assert.ThrowsAsync<RpcException>(() => host.Client.ValidateAsync(new ValidateTokenRequest { Token = "a.b.c" }).ResponseAsync);
        });

        lock (activities)
        {
            var spans = activities.Where(a => a.TraceId == trace && a.Source.Name == SessionsTelemetryNames.ActivitySourceName).ToList();
            Assert.All(spans, span =>
            {
                Assert.Equal(ActivityKind.Internal, span.Kind);
                Assert.Equal("grpc", span.GetTagItem("rpc.system"));
                Assert.Equal("sessions.Sessions", span.GetTagItem("rpc.service"));
            });

            var create = Assert.Single(spans, a => a.OperationName == "sessions.Sessions/Create");
            Assert.Equal("Create", create.GetTagItem("rpc.method"));
            Assert.Equal(0, create.GetTagItem("rpc.grpc.status_code"));
            Assert.Equal("issued", create.GetTagItem("sessions.outcome"));
            Assert.Equal(created!.SessionId, create.GetTagItem("sessions.session_id"));
            Assert.Null(create.GetTagItem("error.type"));
            Assert.Equal(ActivityStatusCode.Ok, create.Status);

            var refused = Assert.Single(spans, a => a.OperationName == "sessions.Sessions/Validate");
            Assert.Equal("Validate", refused.GetTagItem("rpc.method"));
            Assert.Equal((int)StatusCode.InvalidArgument, refused.GetTagItem("rpc.grpc.status_code"));
            Assert.Equal("malformed", refused.GetTagItem("error.type"));
            Assert.Equal("malformed", refused.GetTagItem("sessions.outcome"));
            Assert.Null(refused.GetTagItem("sessions.session_id"));
            // The caller's bad input is not the server's error (semantic conventions for gRPC server spans).
            Assert.Equal(ActivityStatusCode.Unset, refused.Status);
        }
    }
}

using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>
/// <c>AddSessionsInstrumentation()</c> (Sessions.OpenTelemetry) subscribes the OpenTelemetry SDK to the sessions
/// service's meter and activity source: what a real host's calls produce reaches the SDK's in-memory exporter.
/// </summary>
public sealed class OpenTelemetryInstrumentationTests
{
    [Fact]
    public async Task AddSessionsInstrumentation_on_the_tracer_provider_exports_the_spans_of_the_calls()
    {
        // The provider listens to the whole process: other tests' hosts end spans of the sources it takes on their own
        // threads, so the exporter adds to this list while the test reads it; both sides hold its lock.
        var exported = new LockedCollection<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSessionsInstrumentation()
            .AddSource("Microsoft.AspNetCore", TestTrace.SourceName)
            .AddInMemoryExporter(exported)
            .Build();
        await using var host = await SessionsHost.StartAsync();

        TokenReply? created = null;
        var trace = await TestTrace.RunAsync(async () => created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId }));

        // The server ends its span once the reply is written, which can be after the client has read it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        bool Exported()
        {
            tracing.ForceFlush();
            return exported.Snapshot().Any(a => a.TraceId == trace && a.Source.Name == SessionsTelemetryNames.ActivitySourceName);
        }

        while (!Exported() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var span = Assert.Single(exported.Snapshot(), a => a.TraceId == trace && a.Source.Name == SessionsTelemetryNames.ActivitySourceName);
        Assert.Equal("sessions.Sessions/Create", span.DisplayName);
        Assert.Equal("grpc", span.GetTagItem("rpc.system"));
        Assert.Equal("Create", span.GetTagItem("rpc.method"));
        Assert.Equal(created!.SessionId, span.GetTagItem("sessions.session_id"));
    }

    [Fact]
    public async Task AddSessionsInstrumentation_on_the_meter_provider_exports_the_duration_and_counters()
    {
        var exported = new LockedCollection<Metric>();
        using var metrics = Sdk.CreateMeterProviderBuilder()
            .AddSessionsInstrumentation()
            .AddInMemoryExporter(exported)
            .Build();
        await using var host = await SessionsHost.StartAsync();

        await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        metrics.ForceFlush();

        // One stream per live meter of that name: the provider listens to the whole process, where other tests' hosts
        // may be running too.
        var durations = exported.Snapshot().Where(m => m.Name == "rpc.server.call.duration").ToList();
        Assert.NotEmpty(durations);
        Assert.All(durations, duration =>
        {
            Assert.Equal("s", duration.Unit);
            Assert.Equal(SessionsTelemetryNames.MeterName, duration.MeterName);
        });
        Assert.Contains(durations.SelectMany(Points), tags => Equals(tags.GetValueOrDefault("rpc.method"), "Create") && Equals(tags.GetValueOrDefault("rpc.grpc.status_code"), 0)
            && Equals(tags.GetValueOrDefault("rpc.system"), "grpc") && Equals(tags.GetValueOrDefault("rpc.service"), "sessions.Sessions"));
        Assert.Contains(exported.Snapshot(), m => m.Name == "sessions.issued");
    }

    private static List<Dictionary<string, object?>> Points(Metric metric)
    {
        var points = new List<Dictionary<string, object?>>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            points.Add(tags);
        }

        return points;
    }

    /// <summary>A collection the exporter adds to under a lock, read through <see cref="Snapshot"/> under the same lock.</summary>
    private sealed class LockedCollection<T> : System.Collections.ObjectModel.Collection<T>
    {
        private readonly Lock _lock = new();

        public T[] Snapshot()
        {
            lock (_lock)
            {
                return [.. this];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (_lock)
            {
                base.InsertItem(index, item);
            }
        }

        protected override void ClearItems()
        {
            lock (_lock)
            {
                base.ClearItems();
            }
        }
    }
}

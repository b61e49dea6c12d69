using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Grpc.Tests.Infrastructure;

namespace Sessions.Grpc.Tests;

/// <summary>One measurement and one activity per call, tagged by outcome and failure reason, never by token.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Calls_are_counted_by_outcome_and_reason_and_timed()
    {
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        await using var host = await SessionsHost.StartAsync();
        var meterFactory = host.Server.App.Services.GetRequiredService<IMeterFactory>();

        // Listeners are process-wide and tests run in parallel: listen only to this host's meter.
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SessionsTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        listener.Start();

        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });
        await host.Client.ValidateAsync(new ValidateTokenRequest { Token = created.Token });
        await Assert.ThrowsAsync<RpcException>(() => host.Client.ValidateAsync(new ValidateTokenRequest { Token = "a.b.c" }).ResponseAsync);

        lock (measurements)
        {
            Assert.Single(measurements, m => m.Instrument == "sessions.issued");
            Assert.Single(measurements, m => m.Instrument == "sessions.validations" && (string?)m.Tags["sessions.outcome"] == "valid");
            Assert.Single(measurements, m => m.Instrument == "sessions.validations" && (string?)m.Tags["sessions.outcome"] == "refused" && (string?)m.Tags["sessions.failure_reason"] == "malformed");
            Assert.Equal(3, measurements.Count(m => m.Instrument == "sessions.operation.duration"));
            Assert.DoesNotContain(measurements, m => m.Tags.Values.Any(v => v is string text && text.Contains(created.Token, StringComparison.Ordinal)));
        }

        void Record(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (measurements)
            {
                measurements.Add((name, value, copy));
            }
        }
    }

    [Fact]
    public async Task Each_call_gets_an_activity_with_its_outcome_and_session_id()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SessionsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (activities) { activities.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);

        await using var host = await SessionsHost.StartAsync();
        var created = await host.Client.CreateAsync(new CreateRequest { UserId = TestTokens.UserId });

        lock (activities)
        {
            var activity = Assert.Single(activities, a => a.OperationName == "sessions.Create" && (string?)a.GetTagItem("sessions.session_id") == created.SessionId);
            Assert.Equal("issued", activity.GetTagItem("sessions.outcome"));
            Assert.Equal(created.SessionId, activity.GetTagItem("sessions.session_id"));
            Assert.Equal(ActivityStatusCode.Ok, activity.Status);
        }
    }
}

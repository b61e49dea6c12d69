using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Sessions.Grpc.Tests.Infrastructure;

/// <summary>
/// The service types each container built a call site for, nested ones included (read from the container's EventSource
/// while it lives), and which of them it made from an open generic registration of AddOptions() or AddLogging().
/// </summary>
public sealed class ResolvedServices : EventListener
{
    // The open generic services of AddOptions() and AddLogging() that the container makes with MakeGenericType.
    private static readonly string[] OpenGenerics =
        [.. new[] { typeof(ILogger<>), typeof(IOptionsMonitor<>), typeof(IOptionsFactory<>), typeof(IOptionsMonitorCache<>) }.Select(t => t.FullName + "[")];

    private readonly ConcurrentQueue<(int Provider, string ServiceType, int Chunk, int Chunks, string CallSite)> _events = new();

    /// <summary>
    /// The options and logger services <paramref name="provider"/> resolved whose type argument passes
    /// <paramref name="argument"/> and that <paramref name="services"/> has no closed registration of: the ones it made
    /// from the open generic registrations.
    /// </summary>
    public IReadOnlyList<string> FromOpenGenerics(IServiceProvider provider, IServiceCollection services, Func<string, bool> argument)
    {
        var closed = services.Select(d => d.ServiceType.ToString()).ToHashSet();
        return [.. By(provider)
            .Where(type => OpenGenerics.Any(open => type.StartsWith(open, StringComparison.Ordinal) && argument(type[open.Length..^1])))
            .Where(type => !closed.Contains(type))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The service types <paramref name="provider"/> built a call site for.</summary>
    public HashSet<string> By(IServiceProvider provider)
    {
        var hash = provider.GetHashCode();
        var types = new HashSet<string>();
        // A long call site comes in chunks, in order, one event each.
        var pending = new Dictionary<string, string>();
        foreach (var e in _events.Where(e => e.Provider == hash))
        {
            types.Add(e.ServiceType);
            pending[e.ServiceType] = e.Chunk == 0 ? e.CallSite : pending[e.ServiceType] + e.CallSite;
            if (e.Chunk == e.Chunks - 1)
            {
                using var document = JsonDocument.Parse(pending[e.ServiceType]);
                Collect(document.RootElement, types);
            }
        }

        return types;
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Extensions-DependencyInjection")
        {
            EnableEvents(eventSource, EventLevel.Verbose, EventKeywords.All);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName != "CallSiteBuilt" || eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
        {
            return;
        }

        object? Get(string name) => payload[names.IndexOf(name)];
        _events.Enqueue(((int)Get("serviceProviderHashCode")!, (string)Get("serviceType")!, (int)Get("chunkIndex")!, (int)Get("chunkCount")!, (string)Get("callSite")!));
    }

    private static void Collect(JsonElement element, HashSet<string> types)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("serviceType") && property.Value.ValueKind == JsonValueKind.String)
                    {
                        types.Add(property.Value.GetString()!);
                    }

                    Collect(property.Value, types);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, types);
                }

                break;
        }
    }
}

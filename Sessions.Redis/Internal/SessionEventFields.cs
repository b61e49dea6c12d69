using System.Globalization;
using StackExchange.Redis;

namespace Sessions.Redis.Internal;

/// <summary>
/// The wire form of a <see cref="SessionEvent"/> in the stream: fields <c>id</c>, <c>kind</c> (<c>created</c>,
/// <c>refreshed</c>, <c>revoked</c>, <c>revoked_all</c>, <c>reuse_detected</c>), <c>at</c> (Unix milliseconds), and,
/// when present, <c>sub</c>, <c>sid</c>, <c>chain</c>. Stable: consumers in other languages read it.
/// </summary>
internal static class SessionEventFields
{
    public static NameValueEntry[] Write(SessionEvent sessionEvent)
    {
        var fields = new List<NameValueEntry>(6)
        {
            new("id", sessionEvent.EventId),
            new("kind", KindName(sessionEvent.Kind)),
            new("at", sessionEvent.OccurredAt.ToUnixTimeMilliseconds()),
        };
        Add(fields, "sub", sessionEvent.Subject);
        Add(fields, "sid", sessionEvent.SessionId);
        Add(fields, "chain", sessionEvent.ChainId);
        return [.. fields];
    }

    public static SessionEvent? Read(StreamEntry entry)
    {
        var id = entry["id"];
        var at = entry["at"];
        if (id.IsNullOrEmpty || !at.TryParse(out long milliseconds) || !TryKind(entry["kind"].ToString(), out var kind))
        {
            return null;
        }

        return new SessionEvent(id!, kind, Optional(entry["sub"]), Optional(entry["sid"]), Optional(entry["chain"]), DateTimeOffset.FromUnixTimeMilliseconds(milliseconds));
    }

    public static string KindName(SessionEventKind kind) => kind switch
    {
        SessionEventKind.Created => "created",
        SessionEventKind.Refreshed => "refreshed",
        SessionEventKind.Revoked => "revoked",
        SessionEventKind.RevokedAll => "revoked_all",
        SessionEventKind.ReuseDetected => "reuse_detected",
        _ => ((int)kind).ToString(CultureInfo.InvariantCulture),
    };

    private static bool TryKind(string name, out SessionEventKind kind)
    {
        kind = name switch
        {
            "created" => SessionEventKind.Created,
            "refreshed" => SessionEventKind.Refreshed,
            "revoked" => SessionEventKind.Revoked,
            "revoked_all" => SessionEventKind.RevokedAll,
            "reuse_detected" => SessionEventKind.ReuseDetected,
            _ => (SessionEventKind)(-1),
        };
        return kind >= 0;
    }

    private static void Add(List<NameValueEntry> fields, string name, string? value)
    {
        if (value is not null)
        {
            fields.Add(new NameValueEntry(name, value));
        }
    }

    private static string? Optional(RedisValue value) => value.IsNull ? null : value.ToString();
}

using Sessions.Lifecycle;

namespace Sessions.Benchmarks;

/// <summary>
/// Memory the in-memory store keeps per revocation and per refresh chain: the managed heap after a full GC, before and
/// after 100,000 entries of each kind, in a fresh process (<c>--store-memory</c>).
/// </summary>
public static class StoreMemory
{
    public static int Run(int count)
    {
        var now = DateTimeOffset.UtcNow;
        using var store = new InMemorySessionStore(new SessionStoreOptions { MaxRevocations = 100_000_000, MaxChainsPerSubject = 100_000, MaxChains = 100_000_000 });

        var before = Heap();
        for (var i = 0; i < count; i++)
        {
            store.RevokeSessionAsync(Guid.NewGuid().ToString("D"), now.AddDays(1), now).GetAwaiter().GetResult();
        }

        var sessions = Heap();
        for (var i = 0; i < count; i++)
        {
            store.RevokeSubjectAsync(Guid.NewGuid().ToString("D"), now, now.AddDays(1)).GetAwaiter().GetResult();
        }

        var subjects = Heap();
        for (var i = 0; i < count; i++)
        {
            var subject = Guid.NewGuid().ToString("D");
            var chainId = RefreshChainRecord.SubjectTag(subject) + Guid.NewGuid().ToString("N")[..24];
            store.CreateChainAsync(
                new RefreshChainRecord(chainId, subject, now, now.AddDays(30)),
                new RefreshTokenRecord(Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "0123456789abcdefghijk", Guid.NewGuid().ToString("D"), now.AddDays(1), now, now.AddDays(14))).GetAwaiter().GetResult();
        }

        var chains = Heap();
        Console.WriteLine($"| entries | kind | bytes per entry | MB per 100,000 |");
        Console.WriteLine($"| ---: | --- | ---: | ---: |");
        Row(count, "session revocation (Revoke by id of an unknown session)", sessions - before);
        Row(count, "subject revocation (RevokeAll of a user without chains)", subjects - sessions);
        Row(count, "refresh chain with its first token (Create with a refresh token)", chains - subjects);
        GC.KeepAlive(store);
        return 0;
    }

    private static void Row(int count, string kind, long bytes) =>
        Console.WriteLine($"| {count:N0} | {kind} | {bytes / count:N0} | {bytes * 100_000.0 / count / 1_048_576:N1} |");

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

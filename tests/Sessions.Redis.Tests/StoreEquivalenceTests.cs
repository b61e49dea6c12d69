using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Redis.Tests;

/// <summary>
/// The Redis store and the in-memory reference store, driven through the same seeded random history on the same
/// clock, answer every operation alike: statuses, sealed successors, chains, listings, limits and revocation checks.
/// </summary>
[Collection(SharedRedisGroup.Name)]
public sealed class StoreEquivalenceTests(SharedRedis redis)
{
    private static readonly string[] Subjects = ["alice", "bob", "carol", "dave"];

    // The longest a session lives here; a revocation is kept that long, as the lifecycle keeps it for the longest session.
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(40);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public Task Redis_store_answers_every_operation_as_the_in_memory_store(int seed) => RunAsync(redis.Configuration, seed);

    /// <summary>Drives both stores through 2,500 seeded random steps, failing at the first answer that differs.</summary>
    internal static async Task RunAsync(string configuration, int seed)
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        var options = new SessionStoreOptions { MaxChainsPerSubject = 3, MaxRefreshTokensPerChain = 4, PurgeInterval = TimeSpan.FromHours(1) };
        using var memory = new InMemorySessionStore(options, time);
        await using var store = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = configuration, KeyPrefix = SharedRedis.NewPrefix() }, options, time);
        await store.StartAsync();
        var random = new Random(seed);
        var chains = new List<Chain>();
        var sessions = new List<Session>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        for (var step = 0; step < 2500; step++)
        {
            // The reference store purges on a timer; purging before every step makes it exact, as the Redis store always is.
            memory.Purge();
            var now = time.GetUtcNow();
            var roll = random.Next(100);
            string what;
            Func<ISessionStore, Task<string>> operation;
            Action<string> afterwards = static _ => { };
            if (roll < 18)
            {
                var subject = Subjects[random.Next(Subjects.Length)];
                var expiresAt = now + Minutes(random, 10, 60);
                var record = new RefreshChainRecord(
                    RefreshChainRecord.SubjectTag(subject) + RandomHex(12), subject, now, expiresAt,
                    random.Next(2) == 0 ? null : """{"tenant":"acme"}""", random.Next(2) == 0 ? null : "phone");
                var first = Token(random, now, expiresAt, subject, sessions);
                var chain = new Chain(record, first.TokenHash);
                what = $"create {record.ChainId} for {subject}";
                operation = async s =>
                {
                    await s.CreateChainAsync(record, first);
                    return "created";
                };
                afterwards = outcome =>
                {
                    if (outcome == "created")
                    {
                        chains.Add(chain);
                    }
                };
            }
            else if (roll < 55 && chains.Count > 0)
            {
                var chain = chains[random.Next(chains.Count)];
                var presented = random.Next(10) switch
                {
                    0 => RandomHash(),
                    < 3 => chain.Hashes[random.Next(chain.Hashes.Count)],
                    < 5 when chain.Hashes.Count > 1 => chain.Hashes[^2],
                    _ => chain.Hashes[^1],
                };
                var successor = Token(random, now, chain.Record.ExpiresAt, chain.Record.Subject, sessions);
                var request = new RefreshTokenRotationRequest(chain.Record.ChainId, presented, successor, "sealed-" + RandomHex(8), now, TimeSpan.FromSeconds(10));
                what = $"rotate {chain.Record.ChainId} presenting token {chain.Hashes.IndexOf(presented)} of {chain.Hashes.Count}";
                operation = async s => await s.RotateRefreshTokenAsync(request) is var r ? $"{r.Status} {r.SealedSuccessor}" : null!;
                afterwards = outcome =>
                {
                    if (outcome.StartsWith("Rotated ", StringComparison.Ordinal))
                    {
                        chain.Hashes.Add(successor.TokenHash);
                    }
                };
            }
            else if (roll < 58)
            {
                var chainId = chains.Count > 0 && random.Next(4) > 0 ? chains[random.Next(chains.Count)].Record.ChainId : RandomHex(16);
                what = $"revoke chain {chainId}";
                operation = async s => (await s.RevokeChainAsync(chainId, now)).ToString();
            }
            else if (roll < 63)
            {
                var live = sessions.Where(x => x.ExpiresAt > now).ToList();
                var sessionId = live.Count > 0 && random.Next(4) > 0 ? live[random.Next(live.Count)].Id : Guid.NewGuid().ToString("D");
                what = $"revoke session {sessionId}";
                operation = async s => (await s.RevokeSessionAsync(sessionId, now + SessionLifetime, now))?.ToString() ?? "unknown";
            }
            else if (roll < 66)
            {
                var subject = Subjects[random.Next(Subjects.Length)];
                what = $"revoke subject {subject}";
                operation = async s =>
                {
                    await s.RevokeSubjectAsync(subject, now, now + SessionLifetime);
                    return "revoked";
                };
            }
            else if (roll < 79)
            {
                var subject = Subjects[random.Next(Subjects.Length)];
                what = $"list {subject}";
                // Newest first; chains created in the same millisecond come in no particular order.
                operation = async s => string.Join(" | ", (await s.ListChainsAsync(subject, now)).OrderByDescending(static c => c.CreatedAt).ThenBy(static c => c.ChainId, StringComparer.Ordinal));
            }
            else if (roll < 83 && chains.Count > 0)
            {
                var chainId = chains[random.Next(chains.Count)].Record.ChainId;
                what = $"find {chainId}";
                operation = async s => (await s.FindChainAsync(chainId))?.ToString() ?? "none";
            }
            else if (roll < 92 && sessions.Any(x => x.ExpiresAt > now))
            {
                var live = sessions.Where(x => x.ExpiresAt > now).ToList();
                var session = live[random.Next(live.Count)];
                what = $"check {session.Id}";
                operation = s => Task.FromResult("check:" + ((ISessionRevocationList)s).Check(session));
            }
            else
            {
                var by = new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(11), TimeSpan.FromSeconds(11), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(9) }[random.Next(6)];
                time.Advance(by);
                continue;
            }

            var expected = await OutcomeAsync(() => operation(memory));
            var actual = await OutcomeAsync(() => operation(store));
            Assert.True(expected == actual, $"Seed {seed}, step {step}, {what}: the in-memory store answered '{expected}', the Redis store '{actual}'.");
            seen.Add(expected.Split(' ')[0]);
            afterwards(expected);
        }

        // The history went through every outcome that matters, so the comparison above covered them.
        Assert.Empty(
            new HashSet<string>(["Rotated", "RotatedWithinGracePeriod", "Reused", "Revoked", "Expired", "NotFound",
                nameof(SessionStoreLimitException), "check:Revoked", "check:NotRevoked", "unknown", "RefreshChainRecord"]).Except(seen));
    }

    private static async Task<string> OutcomeAsync(Func<Task<string>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception ex) when (ex is SessionStoreLimitException or ArgumentException)
        {
            return ex.GetType().Name;
        }
    }

    private static RefreshTokenRecord Token(Random random, DateTimeOffset now, DateTimeOffset chainExpiresAt, string subject, List<Session> sessions)
    {
        // Sessions sometimes outlive the refresh token issued with them: a chain whose newest token expired is then
        // still kept (its session can be accepted), and a refresh of it answers Expired rather than NotFound.
        var sessionExpiresAt = Min(now + Minutes(random, 1, (int)SessionLifetime.TotalMinutes), chainExpiresAt);
        var record = new RefreshTokenRecord(RandomHash(), Guid.NewGuid().ToString("D"), sessionExpiresAt, now, Min(now + Minutes(random, 5, 30), chainExpiresAt));
        sessions.Add(new Session(subject, record.SessionId, now, null, sessionExpiresAt));
        return record;
    }

    private static TimeSpan Minutes(Random random, int min, int max) => TimeSpan.FromMinutes(random.Next(min, max));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string RandomHash() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    private sealed record Chain(RefreshChainRecord Record, string FirstHash)
    {
        public List<string> Hashes { get; } = [FirstHash];
    }
}

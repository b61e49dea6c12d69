using System.Buffers;
using StackExchange.Redis;

namespace Sessions.Redis.Internal;

/// <summary>
/// Names the keys of <see cref="RedisSessionStore"/>. Everything lives in one of <see cref="ShardCount"/> shards, each
/// under its own Redis Cluster hash tag <c>{prefix + shard}</c>, so that every script touches keys of one hash slot:
/// a subject, all its chains, the sessions they issued and the shard's revocation log are written together, atomically.
/// </summary>
/// <remarks>
/// <para>
/// The shard of a subject (and of every chain of it) is the first hexadecimal digit of
/// <see cref="RefreshChainRecord.SubjectTag"/>, which is also the first digit of its chain ids; a session revoked by an
/// id the store knows nothing of goes to the shard of its id's tag. Sixteen shards keep the log cheap to follow (one
/// read per shard per poll) and still spread over up to sixteen primaries.
/// </para>
/// <para>
/// Keys, with <c>T</c> the shard's tag: <c>T:c:{chain}</c> a chain (hash: its facts, head, and one field per refresh
/// token hash), <c>T:sc:{subject}</c> a subject's chains that can still refresh (sorted set by chain expiry; a chain
/// leaves it when revoked, past its absolute end, or idle: its newest refresh token expired), <c>T:sk:{subject}</c>
/// until when the store holds a chain of the subject that left that list (so that its revocation is not one of an unknown subject), <c>T:sr:{subject}</c> the
/// instant of the subject's latest revocation of all its sessions (a chain created at or before it is refused when it
/// reaches the store afterwards), kept as long as that revocation, <c>T:p:{session}</c> the chain
/// that issued a session (kept while the session or the refresh token issued with it can be accepted), <c>T:chains</c> the shard's chains (for the cap), <c>T:unknown</c> revocations of sessions and
/// subjects without a chain (for the cap), <c>T:log</c> the revocation log (a stream), <c>T:logkeep</c> the longest
/// time a logged revocation must be kept (the log's trimming horizon).
/// </para>
/// </remarks>
internal sealed class RedisKeys
{
    public const int ShardCount = 16;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    private readonly string[] _tags;

    public RedisKeys(string prefix)
    {
        _tags = new string[ShardCount];
        Logs = new RedisKey[ShardCount];
        for (var shard = 0; shard < ShardCount; shard++)
        {
            _tags[shard] = "{" + prefix + shard.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "}";
            Logs[shard] = _tags[shard] + ":log";
        }
    }

    /// <summary>The revocation log of every shard, by shard.</summary>
    public RedisKey[] Logs { get; }

    public static int ShardOfChain(string chainId) => HexDigit(chainId[0]);

    public static int ShardOfSubject(string subject) => HexDigit(RefreshChainRecord.SubjectTag(subject)[0]);

    public RedisKey Chain(string chainId) => _tags[ShardOfChain(chainId)] + ":c:" + chainId;

    public RedisKey SubjectChains(string subject) => _tags[ShardOfSubject(subject)] + ":sc:" + subject;

    public RedisKey SubjectKept(string subject) => _tags[ShardOfSubject(subject)] + ":sk:" + subject;

    public RedisKey SubjectRevoked(string subject) => _tags[ShardOfSubject(subject)] + ":sr:" + subject;

    public RedisKey Pointer(int shard, string sessionId) => _tags[shard] + ":p:" + sessionId;

    public RedisKey ShardChains(int shard) => _tags[shard] + ":chains";

    public RedisKey Unknown(int shard) => _tags[shard] + ":unknown";

    public RedisKey LogKeep(int shard) => _tags[shard] + ":logkeep";

    /// <summary>Whether a chain id can be one of ours (32 lower-case hex digits); others are never looked up.</summary>
    public static bool IsChainId(string chainId) =>
        chainId.Length == 32 && chainId.AsSpan().IndexOfAnyExcept(HexDigits) < 0;

    private static int HexDigit(char c) => c <= '9' ? c - '0' : c - 'a' + 10;
}

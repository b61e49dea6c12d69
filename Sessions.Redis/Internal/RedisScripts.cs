namespace Sessions.Redis.Internal;

/// <summary>
/// The Lua scripts that make every write of <see cref="RedisSessionStore"/> atomic. Each declares every key it touches
/// in <c>KEYS</c> (none is named inside Lua) and all of them share one hash slot (<see cref="RedisKeys"/>), so they
/// run unchanged on one primary and on Redis Cluster. Times are Unix milliseconds of the caller's clock, passed in
/// <c>ARGV</c>; expiries are set as durations from that clock, so a skew between the server's clock and the caller's
/// never shortens what is kept.
/// </summary>
/// <remarks>
/// A chain hash holds <c>sub</c>, <c>cat</c> (created), <c>exp</c> (absolute end), <c>claims</c>, <c>desc</c>,
/// <c>rev</c> (<c>1</c> once revoked), <c>off</c> (<c>1</c> once a sign-in of its subject found it ended or idle and took it
/// off the list: it never rotates again), <c>n</c> (how many refresh tokens it remembers), the head's <c>hsid</c>,
/// <c>hiat</c> and <c>hexp</c>, <c>hh</c> (the head's hash), <c>seq</c> (tokens issued so far), <c>keep</c> (until when
/// anything it issued can be accepted: the chain is gone after that, as in <see cref="Lifecycle.InMemorySessionStore"/>
/// once purged), <c>xq</c> (the used tokens whose sealed successor is kept, <see cref="Rotate"/>), and per refresh token hash <c>h</c>: <c>t:h</c> (<c>"sid sessionExpiry issuedAt expiry seq"</c>), <c>u:h</c> (when first used) and <c>x:h</c> (its sealed successor, while kept), and per session id revoked on its own
/// (<see cref="RevokeChain"/>) <c>r:sid</c> (its keep-until, so that it is logged once). Log entries are <c>s sid u
/// keepUntil</c> (a session) or <c>a subject b issuedAtOrBefore u keepUntil</c> (a subject).
/// </remarks>
internal static class RedisScripts
{
    private const string Prelude = """
        local function ms(x) return string.format('%d', x) end
        local function expire_at_least(k, ttl)
          if ttl <= 0 then return end
          if redis.call('PTTL', k) < ttl then redis.call('PEXPIRE', k, ms(ttl)) end
        end
        -- Appends a revocation to the shard's log, trimmed to what can still be needed: entries older than the longest
        -- keep of any live entry (logkeep, which itself lives as long as that entry) are dropped, never younger ones.
        local function log_entry(log, logkeep, now, keep, ...)
          local d = keep - now
          if d <= 0 then return end
          local horizon = tonumber(redis.call('GET', logkeep) or '0')
          if d > horizon then
            horizon = d
            redis.call('SET', logkeep, ms(horizon), 'KEEPTTL')
          end
          expire_at_least(logkeep, d)
          local t = redis.call('TIME')
          local clock = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          redis.call('XADD', log, 'MINID', '~', ms(clock - horizon - 60000) .. '-0', '*', ...)
          expire_at_least(log, d + 60000)
        end
        -- A chain is kept while anything it issued can be accepted; after that it is gone, as if its key had expired.
        local function kept(c, now)
          local keep = redis.call('HGET', c, 'keep')
          return keep and tonumber(keep) > now
        end
        local function extend_keep(c, now, until_)
          local keep = tonumber(redis.call('HGET', c, 'keep') or '0')
          if until_ > keep then redis.call('HSET', c, 'keep', ms(until_)) end
          expire_at_least(c, until_ - now)
        end
        -- A revocation already logged is not logged again, so that repeating it (Revoke by token is open to every holder)
        -- does not grow the log. The write that stands for it moves this connection's replication offset past the entry
        -- logged earlier, perhaps by another instance or on this instance's other connection, so that the caller's WAIT
        -- covers that entry too.
        local function already_logged(logkeep)
          local horizon = redis.call('GET', logkeep)
          if horizon then redis.call('SET', logkeep, horizon, 'KEEPTTL') end
        end
        -- Takes a chain off its subject's list (sc), which holds the chains that can still refresh: one revoked, past its
        -- absolute end or idle (its newest refresh token expired) is never read by the subject's later calls again. The
        -- subject's marker (sk) keeps the latest keep of such a chain, so that the store still knows the subject while it
        -- holds one (RevokeSubject).
        local function unlist(sc, sk, c, id, now)
          redis.call('ZREM', sc, id)
          local keep = tonumber(redis.call('HGET', c, 'keep') or '0')
          if keep <= now then return end
          if keep > tonumber(redis.call('GET', sk) or '0') then redis.call('SET', sk, ms(keep), 'KEEPTTL') end
          expire_at_least(sk, keep - now)
        end
        -- Marks a chain revoked and logs every session it issued that can still be accepted; returns them (sid, expiry).
        -- A chain revoked earlier logged them then, each until it expires, and has issued none since: nothing is logged.
        local function revoke_chain(c, log, logkeep, now)
          local again = redis.call('HGET', c, 'rev') == '1'
          redis.call('HSET', c, 'rev', '1')
          local revoked = {}
          local f = redis.call('HGETALL', c)
          for i = 1, #f, 2 do
            if string.sub(f[i], 1, 2) == 't:' then
              local sid, sexp = string.match(f[i + 1], '^(%S+) (%d+)')
              if tonumber(sexp) > now then
                if not again then log_entry(log, logkeep, now, tonumber(sexp), 's', sid, 'u', sexp) end
                revoked[#revoked + 1] = sid
                revoked[#revoked + 1] = sexp
              end
            end
          end
          return revoked
        end

        """;

    /// <summary>
    /// KEYS: chain, first session's pointer, subject's chains, shard's chains, subject's marker, log, logkeep, subject's
    /// latest revocation, then every chain the caller read from the subject's chains. ARGV: now, subject, created, expiry,
    /// claims ('' for none), description ('' for none), token hash, session id, session expiry, issued at, token expiry,
    /// chain id, shard cap of chains, cap of chains per subject, '1' to count the chains the caller did not pass as live
    /// rather than answer Retry (its last attempt), then the chain ids of KEYS[9..]. A passed chain counts toward the cap
    /// unless, as of created, it is revoked, past its absolute end or idle (its newest refresh token expired); those leave
    /// the list, marked <c>off</c> unless revoked, so that <see cref="Rotate"/> refuses them. Returns Created, CreatedRevoked,
    /// Exists, Retry (the subject has a chain the caller did not pass, and counting it as live reaches the cap),
    /// MaxChains or MaxChainsPerSubject. CreatedRevoked: the chain was created at or before the subject's latest
    /// revocation of all its sessions (the sign-in read its clock, then that revocation was stored first), so it is
    /// stored revoked, off the subject's list, its session logged — it ends as if the revocation had found it listed.
    /// </summary>
    public const string CreateChain = Prelude + """
        local c, now = KEYS[1], tonumber(ARGV[1])
        if kept(c, now) then return 'Exists' end
        local passed = {}
        for i = 16, #ARGV do passed[ARGV[i]] = KEYS[i - 7] end
        local members = redis.call('ZRANGE', KEYS[3], 0, -1)
        local live, unpassed = 0, 0
        for i = 1, #members do
          local k = passed[members[i]]
          if not k then
            -- Listed since the caller read the list (another sign-in of the user, at once): counted as live, which a
            -- listed chain is but for a moment after its end, so that concurrent sign-ins need no retry below the cap.
            unpassed = unpassed + 1
          elseif not kept(k, now) then
            -- A chain that is gone leaves the list; so does one past its absolute end, idle, or revoked (revocations take
            -- it off themselves; one revoked by an earlier version is found here). None holds a slot: revoking or
            -- abandoning a device makes room for a new sign-in, and the list stays as long as the user's live chains.
            -- One whose key Redis has not expired yet is marked off, as below: a refresh whose clock reads earlier must
            -- not rotate it back to life unlisted.
            if redis.call('EXISTS', k) == 1 and redis.call('HGET', k, 'rev') ~= '1' then redis.call('HSET', k, 'off', '1') end
            redis.call('ZREM', KEYS[3], members[i])
          else
            -- Past its absolute end, or idle (its newest refresh token expired: it can issue nothing more), as of the
            -- sign-in's clock, read as a refresh reads it: neither holds a slot. Such a chain is marked off for good, so
            -- that a refresh whose clock was read earlier but that comes after cannot rotate it back to life unlisted,
            -- out of the cap's, ListChains' and RevokeSubject's reach (Rotate answers Expired).
            local f = redis.call('HMGET', k, 'rev', 'exp', 'hexp')
            if f[1] ~= '1' and tonumber(f[2]) > tonumber(ARGV[3]) and tonumber(f[3]) > tonumber(ARGV[3]) then live = live + 1
            else
              if f[1] ~= '1' then redis.call('HSET', k, 'off', '1') end
              unlist(KEYS[3], KEYS[5], k, members[i], now)
            end
          end
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[1])
        if redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[13]) then return 'MaxChains' end
        local revoked = tonumber(ARGV[3]) <= tonumber(redis.call('GET', KEYS[8]) or '-1')
        if not revoked and live + unpassed >= tonumber(ARGV[14]) then
          -- The chains listed since the read are counted exactly on the next attempt; on the last they stay counted as
          -- live (each was created since, so the user does hold them), so that sign-ins and log-outs racing each
          -- attempt cannot turn a refusal by the cap into a store that gives up.
          if unpassed > 0 and ARGV[15] ~= '1' then return 'Retry' end
          return 'MaxChainsPerSubject'
        end
        redis.call('DEL', c)
        redis.call('HSET', c, 'sub', ARGV[2], 'cat', ARGV[3], 'exp', ARGV[4], 'n', '1', 'seq', '1', 'hh', ARGV[7],
          'hsid', ARGV[8], 'hiat', ARGV[10], 'hexp', ARGV[11], 't:' .. ARGV[7], ARGV[8] .. ' ' .. ARGV[9] .. ' ' .. ARGV[10] .. ' ' .. ARGV[11] .. ' 1')
        if ARGV[5] ~= '' then redis.call('HSET', c, 'claims', ARGV[5]) end
        if ARGV[6] ~= '' then redis.call('HSET', c, 'desc', ARGV[6]) end
        local exp = tonumber(ARGV[4])
        -- Kept, and counted toward the shard's cap, while its refresh token or session can be accepted (each refresh
        -- extends it), not until its absolute end: a chain that stops refreshing, or is revoked, frees its slot then.
        local keep = math.max(tonumber(ARGV[9]), tonumber(ARGV[11]))
        extend_keep(c, now, keep)
        -- A session leads to its chain while it or its refresh token can be accepted (RevokeChain): an account page lists
        -- a chain by its newest session, and revoking it by that id must end it for as long as it can refresh.
        local lead = math.max(tonumber(ARGV[9]), tonumber(ARGV[11]))
        if lead > now then redis.call('SET', KEYS[2], ARGV[12], 'PX', ms(lead - now)) end
        redis.call('ZADD', KEYS[4], ms(keep), ARGV[12])
        expire_at_least(KEYS[4], keep - now)
        if revoked then
          revoke_chain(c, KEYS[6], KEYS[7], now)
          unlist(KEYS[3], KEYS[5], c, ARGV[12], now)
          return 'CreatedRevoked'
        end
        redis.call('ZADD', KEYS[3], ARGV[4], ARGV[12])
        -- The subject's chains outlive every chain in it: a chain's keep passes its expiry by at most the validator's clock
        -- skew (a day is allowed here; a refresh that goes further extends this key).
        expire_at_least(KEYS[3], math.max(exp, tonumber(ARGV[9]), tonumber(ARGV[11])) - now + 86400000)
        return 'Created'
        """;

    /// <summary>
    /// KEYS: chain, successor session's pointer, log, logkeep, shard's chains. ARGV: now, presented hash, grace (ms), successor hash,
    /// session id, session expiry, issued at, token expiry, sealed successor, cap of tokens per chain, chain id, how many
    /// used tokens keep their sealed successor (<c>xq</c> lists them, <c>"hash:usedAt"</c>, oldest first; a token used
    /// before them, or longer ago than the grace period, has its successor dropped and is a reuse if presented again).
    /// An unused token of a chain marked <c>off</c> is Expired, whatever the caller's clock.
    /// Returns {status} or {status, sealed successor}, and for Reused the subject and then the revoked sessions after the
    /// status (the caller takes the chain off the subject's list: <see cref="Unlist"/>); Rotated adds the subject and a
    /// time to live (ms) when the subject's chains must be kept longer ('' and 0 otherwise), then the session ids of the
    /// tokens the chain forgot to stay within its cap (the caller deletes their pointers).
    /// </summary>
    public const string Rotate = Prelude + """
        local c, now, h, grace = KEYS[1], tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
        if not kept(c, now) then return {'NotFound'} end
        local rec = redis.call('HGET', c, 't:' .. h)
        if not rec then return {'NotFound'} end
        local m = redis.call('HMGET', c, 'rev', 'exp', 'n', 'u:' .. h, 'x:' .. h, 'seq', 'sub', 'hh', 'off')
        local sexp, texp = string.match(rec, '^%S+ (%d+) %d+ (%d+)')
        sexp, texp = tonumber(sexp), tonumber(texp)
        -- A token whose refresh and session have both expired covers nothing: forgotten, unless it is the newest.
        local function dead(th, tsexp, ttexp) return ttexp <= now and tsexp <= now and th ~= m[8] end
        if dead(h, sexp, texp) then return {'NotFound'} end
        if m[1] == '1' then return {'Revoked'} end
        if m[4] then
          if now - tonumber(m[4]) <= grace and m[5] then return {'RotatedWithinGracePeriod', m[5]} end
          local revoked = revoke_chain(c, KEYS[3], KEYS[4], now)
          table.insert(revoked, 1, m[7])
          table.insert(revoked, 1, 'Reused')
          return revoked
        end
        if texp <= now or tonumber(m[2]) <= now or m[9] == '1' then return {'Expired'} end
        local n, cap = tonumber(m[3]), tonumber(ARGV[10])
        -- A forgotten token's session no longer leads to the chain (RevokeChain finds no record of it), yet its pointer
        -- would live as long as the token: deleted by the caller, so that a chain refreshed far more often than its
        -- refresh tokens expire keeps no more pointers than it remembers tokens.
        local forgotten = {}
        if n >= cap then
          -- Forget what covers nothing any more, then the oldest used tokens whose sessions have expired (used longer
          -- ago than the grace period); refuse if the chain still remembers as many tokens as it may.
          local candidates = {}
          local f = redis.call('HGETALL', c)
          for i = 1, #f, 2 do
            if string.sub(f[i], 1, 2) == 't:' then
              local th = string.sub(f[i], 3)
              local tsexp, ttexp, seq = string.match(f[i + 1], '^%S+ (%d+) %d+ (%d+) (%d+)')
              tsexp, ttexp = tonumber(tsexp), tonumber(ttexp)
              local used = redis.call('HGET', c, 'u:' .. th)
              if dead(th, tsexp, ttexp) then
                redis.call('HDEL', c, 't:' .. th, 'u:' .. th, 'x:' .. th)
                n = n - 1
              elseif used and tsexp <= now and now - tonumber(used) > grace then
                candidates[#candidates + 1] = {tonumber(seq), th, string.match(f[i + 1], '^(%S+)')}
              end
            end
          end
          table.sort(candidates, function(a, b) return a[1] < b[1] end)
          local excess = n - cap + 1
          for i = 1, math.min(math.max(excess, 0), #candidates) do
            local th = candidates[i][2]
            redis.call('HDEL', c, 't:' .. th, 'u:' .. th, 'x:' .. th)
            forgotten[#forgotten + 1] = candidates[i][3]
            n = n - 1
          end
          if n >= cap then
            redis.call('HSET', c, 'n', ms(n))
            return {'MaxRefreshTokensPerChain'}
          end
        end
        local ssexp, sseq = tonumber(ARGV[6]), tonumber(m[6]) + 1
        -- Sealed successors are kept for the newest used tokens only, and within the grace period only: a chain
        -- refreshed a thousand times does not keep a thousand replies.
        local queue = {}
        for entry in string.gmatch((redis.call('HGET', c, 'xq') or '') .. ' ' .. h .. ':' .. ARGV[1], '%S+') do
          queue[#queue + 1] = entry
        end
        local keepq, kept = {}, 0
        for i = #queue, 1, -1 do
          local qh, qu = string.match(queue[i], '^(%S+):(%d+)$')
          if kept < tonumber(ARGV[12]) and now - tonumber(qu) <= grace then
            kept = kept + 1
            table.insert(keepq, 1, queue[i])
          elseif qh ~= h then
            redis.call('HDEL', c, 'x:' .. qh)
          end
        end
        redis.call('HSET', c, 'u:' .. h, ARGV[1], 'x:' .. h, ARGV[9], 'n', ms(n + 1), 'seq', ms(sseq), 'hh', ARGV[4],
          't:' .. ARGV[4], ARGV[5] .. ' ' .. ARGV[6] .. ' ' .. ARGV[7] .. ' ' .. ARGV[8] .. ' ' .. ms(sseq),
          'hsid', ARGV[5], 'hiat', ARGV[7], 'hexp', ARGV[8], 'xq', table.concat(keepq, ' '))
        if kept == 0 then redis.call('HDEL', c, 'x:' .. h) end
        local keep = math.max(ssexp, tonumber(ARGV[8]))
        extend_keep(c, now, keep)
        -- The shard's cap counts the chain as long as it is kept.
        redis.call('ZADD', KEYS[5], redis.call('HGET', c, 'keep'), ARGV[11])
        expire_at_least(KEYS[5], keep - now)
        -- As in CreateChain: the session leads to its chain while it or its refresh token can be accepted.
        if keep > now then redis.call('SET', KEYS[2], ARGV[11], 'PX', ms(keep - now)) end
        -- Past the day the subject's chains were given beyond the chain's expiry: the caller extends them.
        local reply = {'Rotated', ARGV[9], '', 0}
        if keep > tonumber(m[2]) + 86400000 then reply[3], reply[4] = m[7], keep - now + 86400000 end
        for _, sid in ipairs(forgotten) do reply[#reply + 1] = sid end
        return reply
        """;

    /// <summary>
    /// KEYS: chain, log, logkeep, subject's chains, subject's marker. ARGV: now, a session id to revoke too ('' for none),
    /// its keep-until, chain id, the chain's subject (as the caller read it, to name the subject's keys). Returns nil
    /// when the chain does not exist; otherwise {subject, created, expiry, claims, description, revoked sid, expiry, ...},
    /// the chain off its subject's list.
    /// The session id is logged on its own (and remembered in the chain as <c>r:sid</c>) unless the chain's entries
    /// already cover it: one of its sessions kept at least as long, or an earlier revocation of that id. With a session
    /// id, nil too (nothing changed) unless the chain issued that session and the session or the refresh token issued
    /// with it can still be accepted as of now: the caller's clock decides, not when Redis expires the session's pointer.
    /// </summary>
    public const string RevokeChain = Prelude + """
        local c, now = KEYS[1], tonumber(ARGV[1])
        if not kept(c, now) then return nil end
        if ARGV[2] ~= '' then
          local leads = false
          local f = redis.call('HGETALL', c)
          for i = 1, #f, 2 do
            if string.sub(f[i], 1, 2) == 't:' then
              local sid, sexp, texp = string.match(f[i + 1], '^(%S+) (%d+) %d+ (%d+)')
              if sid == ARGV[2] then leads = tonumber(sexp) > now or tonumber(texp) > now end
            end
          end
          if not leads then return nil end
        end
        local revoked = revoke_chain(c, KEYS[2], KEYS[3], now)
        if redis.call('HGET', c, 'sub') == ARGV[5] then unlist(KEYS[4], KEYS[5], c, ARGV[4], now) end
        if ARGV[2] ~= '' then
          local keep, covered = tonumber(ARGV[3]), redis.call('HEXISTS', c, 'r:' .. ARGV[2]) == 1
          for i = 1, #revoked, 2 do
            if revoked[i] == ARGV[2] and tonumber(revoked[i + 1]) >= keep then covered = true end
          end
          if not covered then
            log_entry(KEYS[2], KEYS[3], now, keep, 's', ARGV[2], 'u', ARGV[3])
            redis.call('HSET', c, 'r:' .. ARGV[2], ARGV[3])
          end
          revoked[#revoked + 1] = ARGV[2]
          revoked[#revoked + 1] = ARGV[3]
        end
        local m = redis.call('HMGET', c, 'sub', 'cat', 'exp', 'claims', 'desc')
        local reply = {m[1], m[2], m[3], m[4] or '', m[5] or ''}
        for i = 1, #revoked do reply[#reply + 1] = revoked[i] end
        return reply
        """;

    /// <summary>
    /// KEYS: chain, subject's chains, subject's marker. ARGV: now, chain id. Takes a revoked chain off its subject's list
    /// (after <see cref="Rotate"/> revoked it on reuse, which could not name the subject's keys). Returns 1.
    /// </summary>
    public const string Unlist = Prelude + """
        local c, now = KEYS[1], tonumber(ARGV[1])
        if redis.call('HGET', c, 'rev') == '1' then unlist(KEYS[2], KEYS[3], c, ARGV[2], now) end
        return 1
        """;

    /// <summary>
    /// KEYS: chain. Writes a revoked chain's mark again, unchanged, and returns 1 (0 for a chain not revoked, or gone).
    /// <see cref="Rotate"/> (reuse) and <see cref="CreateChain"/> (CreatedRevoked) revoke on the connection every command
    /// shares, where a WAIT would hold them all; this write, on the revocations' own connection, moves that connection's
    /// replication offset past theirs (a primary replicates its writes in one order), so that its WAIT covers them: from
    /// Redis 7.2 on, WAIT covers only the writes of its own connection (7.0 counts every write before the connection's
    /// latest command).
    /// </summary>
    public const string Reaffirm = """
        if redis.call('HGET', KEYS[1], 'rev') ~= '1' then return 0 end
        redis.call('HSET', KEYS[1], 'rev', '1')
        return 1
        """;

    /// <summary>
    /// KEYS: shard's unknown revocations, log, logkeep. ARGV: now, member ('s:sid' or 'a:subject'), keep-until, shard cap,
    /// then the log entry's fields. Returns 1 once logged (or once found logged already, kept at least as long), 0 when
    /// the cap refuses it.
    /// </summary>
    public const string RevokeUnknown = Prelude + """
        local u, now, keep = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', u, '-inf', ARGV[1])
        local cur = redis.call('ZSCORE', u, ARGV[2])
        if not cur and redis.call('ZCARD', u) >= tonumber(ARGV[4]) then return 0 end
        if cur and tonumber(cur) >= keep then
          already_logged(KEYS[3])
          return 1
        end
        redis.call('ZADD', u, ARGV[3], ARGV[2])
        expire_at_least(u, keep - now)
        log_entry(KEYS[2], KEYS[3], now, keep, unpack(ARGV, 5))
        return 1
        """;

    /// <summary>
    /// KEYS: subject's chains, shard's unknown revocations, log, logkeep, subject's marker, subject's latest revocation,
    /// then every chain the caller read from the subject's chains. ARGV: now (= issued at or before), keep-until, subject,
    /// shard cap, then the chain ids of KEYS[7..]. Returns {'Full'} when the store holds no chain of the subject (listed,
    /// or off the list but kept) and the cap refuses it, else {'Revoked', n, n chain ids, sid, expiry, ...}: the n chains
    /// listed since the caller's read (other sign-ins, at once), which the caller revokes next with
    /// <see cref="RevokeChains"/>; the others are revoked and off the list. The subject's latest revocation is recorded in
    /// the same step, so a chain created at or before it that is stored afterwards is refused by <see cref="CreateChain"/>:
    /// nothing the user signed in with until now outlives the two steps, and neither step retries.
    /// </summary>
    public const string RevokeSubject = Prelude + """
        local sc, now, keep = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
        local passed = {}
        for i = 5, #ARGV do passed[ARGV[i]] = true end
        local missed = {}
        local members = redis.call('ZRANGE', sc, 0, -1)
        for i = 1, #members do
          if not passed[members[i]] then missed[#missed + 1] = members[i] end
        end
        -- A subject the store still holds a chain of, listed or not, is not unknown: not counted against the cap.
        local known = #missed > 0 or tonumber(redis.call('GET', KEYS[5]) or '0') > now
        for i = 7, #KEYS do
          if kept(KEYS[i], now) then known = true end
        end
        if not known then
          local u = KEYS[2]
          local member = 'a:' .. ARGV[3]
          redis.call('ZREMRANGEBYSCORE', u, '-inf', ARGV[1])
          local cur = redis.call('ZSCORE', u, member)
          if not cur and redis.call('ZCARD', u) >= tonumber(ARGV[4]) then return {'Full'} end
          if not cur or tonumber(cur) < keep then redis.call('ZADD', u, ARGV[2], member) end
          expire_at_least(u, keep - now)
        end
        if keep > now then
          if now > tonumber(redis.call('GET', KEYS[6]) or '-1') then redis.call('SET', KEYS[6], ARGV[1], 'KEEPTTL') end
          expire_at_least(KEYS[6], keep - now)
        end
        log_entry(KEYS[3], KEYS[4], now, keep, 'a', ARGV[3], 'b', ARGV[1], 'u', ARGV[2])
        local reply = {'Revoked', #missed}
        for i = 1, #missed do reply[#reply + 1] = missed[i] end
        for i = 7, #KEYS do
          if kept(KEYS[i], now) then
            local revoked = revoke_chain(KEYS[i], KEYS[3], KEYS[4], now)
            for j = 1, #revoked do reply[#reply + 1] = revoked[j] end
          end
          unlist(sc, KEYS[5], KEYS[i], ARGV[i - 2], now)
        end
        return reply
        """;

    /// <summary>
    /// KEYS: subject's chains, log, logkeep, subject's marker, then chains <see cref="RevokeSubject"/> found listed but
    /// not passed. ARGV: now (the revocation's instant), then the chain ids of KEYS[5..]. Revokes each (a chain revoked
    /// already logs nothing again) and takes it off the subject's list. Returns {sid, expiry, ...}.
    /// </summary>
    public const string RevokeChains = Prelude + """
        local now = tonumber(ARGV[1])
        local reply = {}
        for i = 5, #KEYS do
          if kept(KEYS[i], now) then
            local revoked = revoke_chain(KEYS[i], KEYS[2], KEYS[3], now)
            for j = 1, #revoked do reply[#reply + 1] = revoked[j] end
          end
          unlist(KEYS[1], KEYS[4], KEYS[i], ARGV[i - 3], now)
        end
        return reply
        """;
}

namespace Sessions.Redis.Internal;

/// <summary>
/// The Lua scripts that make every write of <see cref="RedisSessionStore"/> atomic. Times are Unix milliseconds.
/// </summary>
/// <remarks>
/// Keys, under the prefix <c>p</c>: <c>p rs:{sid}</c> revoked session (value: expiry), <c>p ru:{subject}</c> revoked
/// subject (value: sessions issued at or before it are revoked), <c>p rt:{hash}</c> refresh token (hash: fam, sub, sid,
/// sexp, iat, exp, fexp, used, and claims: the chain's custom claims as JSON object text, absent when none), <c>p fam:{id}</c> chain (hash: sub, fexp, revoked), <c>p fs:{id}</c> the chain's
/// sessions (sid → expiry), <c>p sf:{sid}</c> a session's chain. Each key expires when the last token it covers does.
/// Revocations are published on <c>p revocations</c> as <c>s|exp|sid</c> and <c>u|before|keepUntil|subject</c>.
/// </remarks>
internal static class RedisScripts
{
    // ARGV[1] prefix, ARGV[2] channel, ARGV[3] now; the rest per script.
    private const string Prelude = """
        local p, ch, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
        local function expire_at_least(k, at)
          local pt = redis.call('PTTL', k)
          if pt < 0 or now + pt < at then redis.call('PEXPIREAT', k, string.format('%d', at)) end
        end
        local function revoke_session(sid, exp)
          local k = p .. 'rs:' .. sid
          local e = tonumber(exp)
          local cur = tonumber(redis.call('GET', k) or '0')
          if cur > e then e = cur end
          if e <= now then return end
          redis.call('SET', k, string.format('%d', e), 'PXAT', string.format('%d', e))
          redis.call('PUBLISH', ch, 's|' .. string.format('%d', e) .. '|' .. sid)
        end
        local function revoke_family(fam)
          local fk = p .. 'fam:' .. fam
          if redis.call('EXISTS', fk) == 0 then return end
          redis.call('HSET', fk, 'revoked', '1')
          local s = redis.call('HGETALL', p .. 'fs:' .. fam)
          for i = 1, #s, 2 do revoke_session(s[i], s[i + 1]) end
        end
        local function store(h, fam, sub, sid, sexp, iat, exp, fexp, claims)
          local rk = p .. 'rt:' .. h
          redis.call('HSET', rk, 'fam', fam, 'sub', sub, 'sid', sid, 'sexp', sexp, 'iat', iat, 'exp', exp, 'fexp', fexp)
          if claims and claims ~= '' then redis.call('HSET', rk, 'claims', claims) end
          redis.call('PEXPIREAT', rk, exp)
          local keep = math.max(tonumber(fexp), tonumber(sexp))
          local fk = p .. 'fam:' .. fam
          redis.call('HSET', fk, 'sub', sub, 'fexp', fexp)
          expire_at_least(fk, keep)
          local fsk = p .. 'fs:' .. fam
          redis.call('HSET', fsk, sid, sexp)
          expire_at_least(fsk, keep)
          redis.call('SET', p .. 'sf:' .. sid, fam, 'PXAT', sexp)
          if redis.call('HGET', fk, 'revoked') == '1' then revoke_session(sid, sexp) end
        end

        """;

    /// <summary>ARGV[4] session id, ARGV[5] expiry. Revokes the session and its chain.</summary>
    public const string RevokeSession = Prelude + """
        revoke_session(ARGV[4], ARGV[5])
        local fam = redis.call('GET', p .. 'sf:' .. ARGV[4])
        if fam then revoke_family(fam) end
        return 1
        """;

    /// <summary>ARGV[4] subject, ARGV[5] issued at or before, ARGV[6] keep until.</summary>
    public const string RevokeSubject = Prelude + """
        local k = p .. 'ru:' .. ARGV[4]
        local before = tonumber(ARGV[5])
        local cur = redis.call('GET', k)
        if cur and tonumber(cur) > before then before = tonumber(cur) end
        local keep = tonumber(ARGV[6])
        local pt = redis.call('PTTL', k)
        if pt > 0 and now + pt > keep then keep = now + pt end
        redis.call('SET', k, string.format('%d', before), 'PXAT', string.format('%d', keep))
        redis.call('PUBLISH', ch, 'u|' .. string.format('%d', before) .. '|' .. string.format('%d', keep) .. '|' .. ARGV[4])
        return 1
        """;

    /// <summary>ARGV[4] family id. Revokes the chain and its sessions.</summary>
    public const string RevokeFamily = Prelude + """
        revoke_family(ARGV[4])
        return 1
        """;

    /// <summary>ARGV[4..12] hash, fam, sub, sid, sexp, iat, exp, fexp, claims ('' for none). Stores a chain's first token.</summary>
    public const string Create = Prelude + """
        store(ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11], ARGV[12])
        return 1
        """;

    /// <summary>
    /// ARGV[4] presented hash, ARGV[5] grace, ARGV[6..10] successor hash, sid, sexp, iat, exp. Returns the status
    /// followed by the presented token's fam, sub, sid, sexp, iat, exp, fexp, claims ('' for none). The successor
    /// keeps the presented token's family, subject, family expiry and claims.
    /// </summary>
    public const string Rotate = Prelude + """
        local rk = p .. 'rt:' .. ARGV[4]
        local r = redis.call('HGETALL', rk)
        if #r == 0 then return {'NotFound'} end
        local t = {}
        for i = 1, #r, 2 do t[r[i]] = r[i + 1] end
        local rec = {t.fam, t.sub, t.sid, t.sexp, t.iat, t.exp, t.fexp, t.claims or ''}
        local function reply(status) return {status, rec[1], rec[2], rec[3], rec[4], rec[5], rec[6], rec[7], rec[8]} end
        if redis.call('HGET', p .. 'fam:' .. t.fam, 'revoked') == '1' then return reply('Revoked') end
        local before = redis.call('GET', p .. 'ru:' .. t.sub)
        if before and tonumber(t.iat) <= tonumber(before) then return reply('Revoked') end
        if tonumber(t.exp) <= now or tonumber(t.fexp) <= now then return reply('Expired') end
        local status = 'Rotated'
        if t.used then
          if now - tonumber(t.used) > tonumber(ARGV[5]) then
            revoke_family(t.fam)
            return reply('Reused')
          end
          status = 'RotatedWithinGracePeriod'
        else
          redis.call('HSET', rk, 'used', ARGV[3])
        end
        store(ARGV[6], t.fam, t.sub, ARGV[7], ARGV[8], ARGV[9], ARGV[10], t.fexp, t.claims)
        return reply(status)
        """;
}

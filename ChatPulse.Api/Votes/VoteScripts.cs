namespace ChatPulse.Api.Votes;

/// <summary>
/// The Lua that keeps a broadcaster's window (<see cref="Infrastructure.Redis.RedisKeys.VoteWindow"/>). Every
/// script touches only one broadcaster's keys (one cluster slot) and does a bounded amount of work: votes are
/// counted in per-second buckets plus running totals, so no step ever visits individual votes.
/// </summary>
internal static class VoteScripts
{
    /// <summary>Oldest second kept for an infinite window before its buckets fold into the base counts.</summary>
    public const int InfiniteHorizonSeconds = 120;

    // expire(window, second, memory): drops (finite) or folds into bf/ba (infinite) the buckets that left the
    // window since the cursor 'c'. Buckets only ever lie within [c, c + horizon], so the loop is bounded by
    // 122 steps even after hours of silence; amortised it is one step per elapsed second.
    private const string Common = """
        local function expire(w, sec, mem)
          local horizon = mem > 0 and mem or 120
          local cutoff = sec - horizon
          local c = tonumber(redis.call('HGET', w, 'c'))
          if c == nil then return cutoff + 1, 0 end
          if c > cutoff then return c, 0 end
          local df, da = 0, 0
          for s = c, math.min(cutoff, c + 121) do
            local b = redis.call('HMGET', w, s .. 'f', s .. 'a')
            if b[1] or b[2] then
              df = df + (tonumber(b[1]) or 0)
              da = da + (tonumber(b[2]) or 0)
              redis.call('HDEL', w, s .. 'f', s .. 'a')
            end
          end
          local removed = 0
          if mem > 0 then
            local base = redis.call('HMGET', w, 'bf', 'ba')
            if base[1] or base[2] then
              df = df + (tonumber(base[1]) or 0)
              da = da + (tonumber(base[2]) or 0)
              redis.call('HDEL', w, 'bf', 'ba')
            end
            if df > 0 then redis.call('HINCRBY', w, 'F', -df) end
            if da > 0 then redis.call('HINCRBY', w, 'A', -da) end
            removed = df + da
          else
            if df > 0 then redis.call('HINCRBY', w, 'bf', df) end
            if da > 0 then redis.call('HINCRBY', w, 'ba', da) end
          end
          redis.call('HSET', w, 'c', cutoff + 1)
          return cutoff + 1, removed
        end

        local function totals(w)
          local t = redis.call('HMGET', w, 'F', 'A')
          return tonumber(t[1]) or 0, tonumber(t[2]) or 0
        end

        -- SentimentSnapshot as System.Text.Json (web defaults) writes it; %.17g round-trips a double.
        local function snapshot(bid, f, a, at)
          local total = f + a
          local r = 0.5
          if total > 0 then r = f / total end
          return string.format('{"broadcasterId":"%s","for":%d,"against":%d,"at":%s,"total":%d,"forRatio":%.17g,"againstRatio":%.17g}',
            bid, f, a, at, total, r, 1 - r)
        end

        """;

    /// <summary>
    /// One chat message's whole Redis work. KEYS: presence, seen, debounce, window. ARGV: now (Unix ms), side
    /// ('f'|'a'), memory seconds (0 = infinite), seen TTL ms, window TTL ms, sentiment channel, broadcaster id.
    /// Returns {outcome, for, against}; outcome 0 no viewers, 1 duplicate, 2 debounced, 3 applied.
    /// </summary>
    public const string Cast = Common + """
        local now = tonumber(ARGV[1])
        if redis.call('ZCOUNT', KEYS[1], now, '+inf') == 0 then return {0, 0, 0} end
        if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[4]) then return {1, 0, 0} end
        local last = tonumber(redis.call('GET', KEYS[3]))
        if last and now - last < 1000 then return {2, 0, 0} end
        redis.call('SET', KEYS[3], ARGV[1], 'PX', 2000)
        local w = KEYS[4]
        local sec = math.floor(now / 1000)
        local cursor = expire(w, sec, tonumber(ARGV[3]))
        redis.call('HSETNX', w, 'c', cursor)
        local side = ARGV[2]
        redis.call('HINCRBY', w, math.max(sec, cursor) .. side, 1)
        redis.call('HINCRBY', w, side == 'f' and 'F' or 'A', 1)
        redis.call('PEXPIRE', w, ARGV[5])
        local f, a = totals(w)
        redis.call('PUBLISH', ARGV[6], snapshot(ARGV[7], f, a, ARGV[1]))
        return {3, f, a}
        """;

    /// <summary>
    /// Expires what left the window. KEYS: presence, window. ARGV: now, memory seconds, channel, broadcaster id,
    /// mode ('tick': skip unwatched broadcasters and publish when votes left; 'read': neither).
    /// Returns {removed (-1 = not watched), for, against}.
    /// </summary>
    public const string Tick = Common + """
        local now = tonumber(ARGV[1])
        local tick = ARGV[5] == 'tick'
        if tick and redis.call('ZCOUNT', KEYS[1], now, '+inf') == 0 then return {-1, 0, 0} end
        if redis.call('EXISTS', KEYS[2]) == 0 then return {0, 0, 0} end
        local _, removed = expire(KEYS[2], math.floor(now / 1000), tonumber(ARGV[2]))
        local f, a = totals(KEYS[2])
        if tick and removed > 0 then redis.call('PUBLISH', ARGV[3], snapshot(ARGV[4], f, a, ARGV[1])) end
        return {removed, f, a}
        """;

    /// <summary>Empties the window. KEYS: window. ARGV: now, channel, broadcaster id. Publishes the empty snapshot once.</summary>
    public const string Reset = Common + """
        if redis.call('DEL', KEYS[1]) == 1 then
          redis.call('PUBLISH', ARGV[2], snapshot(ARGV[3], 0, 0, ARGV[1]))
          return 1
        end
        return 0
        """;
}

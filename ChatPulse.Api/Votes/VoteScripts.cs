using System.Text.Json;
using ChatPulse.Api.Polls;

namespace ChatPulse.Api.Votes;

/// <summary>
/// The Lua that keeps a broadcaster's window (<see cref="Infrastructure.Redis.RedisKeys.VoteWindow"/>). Every
/// script does a bounded amount of work: votes are counted in per-second buckets plus running totals, so no step
/// ever visits individual votes. The numbers and JSON names C# also knows are written into the text from here.
/// </summary>
internal static class VoteScripts
{
    /// <summary>Oldest second kept for an infinite window before its buckets fold into the base counts.</summary>
    public const int InfiniteHorizonSeconds = 120;

    /// <summary>
    /// How long a chatter's last counted cast time is kept (ms): <see cref="VoteBuffer.MaxAge"/> plus the 1 s debounce
    /// and a second of slack, so a vote replayed up to that late still meets the time of one counted live or by
    /// another replica (a 2 s lifetime let a late replay through).
    /// </summary>
    public static readonly long DebounceLifetimeMs = (long)VoteBuffer.MaxAge.TotalMilliseconds + 2000;

    // SentimentSnapshot's JSON names, as System.Text.Json (web defaults) writes them.
    private static string Name(string property) => JsonNamingPolicy.CamelCase.ConvertName(property);

    // expire(window, second, memory): drops (finite) or folds into bf/ba (infinite) the buckets that left the
    // window since the cursor 'c'. Buckets only ever lie within [c, c + horizon], so the loop is bounded by
    // horizon + 2 steps even after hours of silence; amortised it is one step per elapsed second.
    private static readonly string Common = $$"""
        local function expire(w, sec, mem)
          local horizon = mem > 0 and mem or {{InfiniteHorizonSeconds}}
          local cutoff = sec - horizon
          local c = tonumber(redis.call('HGET', w, 'c'))
          if c == nil then return cutoff + 1, 0 end
          if c > cutoff then return c, 0 end
          local df, da = 0, 0
          for s = c, math.min(cutoff, c + {{InfiniteHorizonSeconds + 1}}) do
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
          return string.format('{"{{Name(nameof(SentimentSnapshot.BroadcasterId))}}":"%s","{{Name(nameof(SentimentSnapshot.For))}}":%d,"{{Name(nameof(SentimentSnapshot.Against))}}":%d,"{{Name(nameof(SentimentSnapshot.At))}}":%s,"{{Name(nameof(SentimentSnapshot.Total))}}":%d,"{{Name(nameof(SentimentSnapshot.ForRatio))}}":%.17g,"{{Name(nameof(SentimentSnapshot.AgainstRatio))}}":%.17g}',
            bid, f, a, at, total, r, 1 - r)
        end

        """;

    /// <summary>
    /// The whole Redis work of the chat messages that arrived while the previous call of their lane was in flight
    /// (usually a few, over several broadcasters), or that waited in <see cref="VoteBuffer"/> while Redis was away.
    /// ARGV[1]: the number of broadcasters; then per broadcaster one group (<see cref="CastArguments"/>). A group's KEYS:
    /// presence, window, poll, poll voters, then per message seen and debounce; its ARGV: message count, memory seconds
    /// (0 = infinite), window TTL ms, sentiment channel, broadcaster id, now (Unix ms, the sender's clock), poll id, then
    /// per message the time it was cast (Unix ms; before now for a replayed vote), side ('f'|'a', or a poll option's
    /// number), seen TTL ms and chatter id. Each message is judged at its own time: watched (a heartbeat's expiry
    /// reaches it), seen once; a mood vote then debounced (within 1 s of the chatter's last counted vote, either way,
    /// so replays and other replicas' votes need no order) and counted in its own second — or, when that second already
    /// left a finite window, not counted (6, expired); an infinite window's older votes go to its folded base. A poll
    /// vote counts when its poll runs and it was cast before the end (else poll_closed), once per chatter: rule 'first'
    /// keeps the first vote (HSETNX), 'last' moves the vote (else already_voted) — constant work per vote. Returns per
    /// group one outcome per message (0 no viewers, 1 duplicate, 2 debounced, 3 applied, 6 expired, and the poll
    /// outcomes), then the window's for and against. One snapshot per broadcaster, stamped now, is published when any of
    /// its mood votes applied, one poll-counts message when any of its poll votes did.
    /// </summary>
    public static readonly string Cast = Common + $$"""
        local out = {}
        -- the poll's part of one message: its outcome, and the new voter (0|1) and counted (0|1) it adds
        local function pollVote(p, pollKey, voters, t, side, voter)
          local opt = tonumber(side)
          if not p.running or opt == nil or opt < 1 or opt > p.n or t < p.start or (p.ends > 0 and t >= p.ends) then
            return {{(int)VoteOutcome.PollClosed}}, 0, 0
          end
          local added = 1
          if p.rule == '{{PollRules.Last}}' then
            local previous = redis.call('HGET', voters, voter)
            if previous == side then return {{(int)VoteOutcome.AlreadyVoted}}, 0, 0 end
            redis.call('HSET', voters, voter, side)
            if previous then
              redis.call('HINCRBY', pollKey, 'c' .. previous, -1)
              added = 0
            end
          elseif redis.call('HSETNX', voters, voter, side) == 0 then
            return {{(int)VoteOutcome.AlreadyVoted}}, 0, 0
          end
          redis.call('HINCRBY', pollKey, 'c' .. side, 1)
          redis.call('HINCRBY', pollKey, 'm' .. math.floor((t - p.start) / 60000), 1)
          return {{(int)VoteOutcome.Applied}}, added, 1
        end

        -- PollCountsMessage as System.Text.Json (web defaults) writes it
        local function pollCounts(pollKey, bid, pollId, n, at)
          local fields = {'total'}
          for i = 1, n do fields[i + 1] = 'c' .. i end
          local v = redis.call('HMGET', pollKey, unpack(fields))
          local counts = {}
          for i = 1, n do counts[i] = tonumber(v[i + 1]) or 0 end
          return string.format('{"{{Name(nameof(PollCountsMessage.Kind))}}":"{{PollCountsMessage.KindName}}","{{Name(nameof(PollCountsMessage.BroadcasterId))}}":"%s","{{Name(nameof(PollCountsMessage.PollId))}}":"%s","{{Name(nameof(PollCountsMessage.Counts))}}":[%s],"{{Name(nameof(PollCountsMessage.Total))}}":%d,"{{Name(nameof(PollCountsMessage.At))}}":%s}',
            bid, pollId, table.concat(counts, ','), tonumber(v[1]) or 0, at)
        end

        -- one broadcaster's group: its keys follow KEYS[k], its arguments ARGV[a]
        local function group(k, a, n)
          local presence, w, pollKey, voters = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
          local o = #out
          local nowText = ARGV[a + 6]
          local earliest, latest = math.huge, 0
          for i = 1, n do
            local t = tonumber(ARGV[a + 4 + 4 * i])
            if t < earliest then earliest = t end
            if t > latest then latest = t end
          end
          if redis.call('ZCOUNT', presence, earliest, '+inf') == 0 then
            for i = 1, n do out[o + i] = 0 end
            out[o + n + 1], out[o + n + 2] = 0, 0
            return
          end
          -- only a batch that straddles an overlay's expiry checks each vote's own time
          local each = redis.call('ZCOUNT', presence, latest, '+inf') == 0
          local mem = tonumber(ARGV[a + 2])
          local sec = math.floor(tonumber(nowText) / 1000)
          local c = tonumber(redis.call('HGET', w, 'c'))
          local cursor = c
          if c == nil or c <= sec - (mem > 0 and mem or {{InfiniteHorizonSeconds}}) then
            -- a new window or a new second: expire, and renew the key's lifetime (once a second, not per vote)
            cursor = expire(w, sec, mem)
            if c == nil then redis.call('HSET', w, 'c', cursor) end
            redis.call('PEXPIRE', w, ARGV[a + 3])
          end
          local buckets, df, da = {}, 0, 0
          local poll, voted, counted = nil, 0, 0
          for i = 1, n do
            local cast, side = ARGV[a + 4 + 4 * i], ARGV[a + 5 + 4 * i]
            local t = tonumber(cast)
            if each and redis.call('ZCOUNT', presence, t, '+inf') == 0 then
              out[o + i] = 0
            elseif not redis.call('SET', KEYS[k + 3 + 2 * i], '1', 'NX', 'PX', ARGV[a + 6 + 4 * i]) then
              out[o + i] = 1
            elseif side ~= 'f' and side ~= 'a' then
              if poll == nil then
                local h = redis.call('HMGET', pollKey, 'id', 'state', 'ends', 'rule', 'start', 'n')
                poll = { running = h[1] == ARGV[a + 7] and h[2] == 'running', ends = tonumber(h[3]) or 0, rule = h[4],
                  start = tonumber(h[5]) or 0, n = tonumber(h[6]) or 0 }
              end
              local outcome, added, applied = pollVote(poll, pollKey, voters, t, side, ARGV[a + 7 + 4 * i])
              out[o + i] = outcome
              voted, counted = voted + added, counted + applied
            else
              local last = tonumber(redis.call('GET', KEYS[k + 4 + 2 * i]))
              if last and math.abs(t - last) < 1000 then
                out[o + i] = 2
              else
                if not last or t > last then redis.call('SET', KEYS[k + 4 + 2 * i], cast, 'PX', {{DebounceLifetimeMs}}) end
                local s = math.floor(t / 1000)
                if mem > 0 and s <= sec - mem then
                  out[o + i] = 6
                else
                  local bucket = s .. side
                  if s < cursor then
                    -- a finite window: a lagging replica's clock, counted in the oldest second kept
                    bucket = mem > 0 and (cursor .. side) or ('b' .. side)
                  end
                  buckets[bucket] = (buckets[bucket] or 0) + 1
                  if side == 'f' then df = df + 1 else da = da + 1 end
                  out[o + i] = 3
                end
              end
            end
          end
          local vf, va = 0, 0
          if df + da > 0 then
            for bucket, count in pairs(buckets) do redis.call('HINCRBY', w, bucket, count) end
            vf = df > 0 and redis.call('HINCRBY', w, 'F', df) or (tonumber(redis.call('HGET', w, 'F')) or 0)
            va = da > 0 and redis.call('HINCRBY', w, 'A', da) or (tonumber(redis.call('HGET', w, 'A')) or 0)
            redis.call('PUBLISH', ARGV[a + 4], snapshot(ARGV[a + 5], vf, va, nowText))
          end
          if counted > 0 then
            if voted > 0 then redis.call('HINCRBY', pollKey, 'total', voted) end
            redis.call('PUBLISH', ARGV[a + 4], pollCounts(pollKey, ARGV[a + 5], ARGV[a + 7], poll.n, nowText))
          end
          out[o + n + 1], out[o + n + 2] = vf, va
        end

        local k, a = 0, 1
        for _ = 1, tonumber(ARGV[1]) do
          local n = tonumber(ARGV[a + 1])
          group(k, a, n)
          k = k + {{CastArguments.GroupKeys}} + 2 * n
          a = a + {{CastArguments.GroupValues}} + {{CastArguments.MessageValues}} * n
        end
        return out
        """;

    /// <summary>
    /// Expires what left the window. KEYS: presence, window. ARGV: now, memory seconds, channel, broadcaster id,
    /// mode ('tick': skip unwatched broadcasters and publish when votes left; 'read': neither).
    /// Returns {removed (-1 = not watched), for, against}.
    /// </summary>
    public static readonly string Tick = Common + """
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
    public static readonly string Reset = Common + """
        if redis.call('DEL', KEYS[1]) == 1 then
          redis.call('PUBLISH', ARGV[2], snapshot(ARGV[3], 0, 0, ARGV[1]))
          return 1
        end
        return 0
        """;
}

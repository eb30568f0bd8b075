namespace ChatPulse.Api.Polls;

/// <summary>
/// The Lua that changes a poll's Redis state (<see cref="Infrastructure.Redis.RedisKeys.Poll"/>) and the overlay's view
/// atomically, so two replicas (or two clicks) never both start, end or show. Votes are counted by
/// <see cref="Votes.VoteScripts.Cast"/>, with the chat's other votes.
/// </summary>
internal static class PollScripts
{
    /// <summary>
    /// KEYS: poll, view, due list. ARGV: id, options, rule, start, ends (0 = open), view JSON, channel, message,
    /// broadcaster id, the running poll this start may replace ('' for none). Returns 0 when a poll runs other than that
    /// one (this one, or one that started since the caller looked), else 1: the state is replaced, the view set and the
    /// <c>poll</c> message published. The poll it may replace is one the caller found running after its Postgres row won
    /// the unique index: a start whose reply was lost and whose row was removed; its due entry goes too. A script that
    /// reaches Redis late (its caller gave up) finds another poll than the one its caller saw, and changes nothing.
    /// </summary>
    public const string Start = """
        local h = redis.call('HMGET', KEYS[1], 'id', 'state')
        if h[2] == 'running' then
          if h[1] ~= ARGV[10] then return 0 end
          redis.call('ZREM', KEYS[3], ARGV[9] .. ':' .. h[1])
        end
        redis.call('DEL', KEYS[1])
        local f = {'id', ARGV[1], 'n', ARGV[2], 'rule', ARGV[3], 'start', ARGV[4], 'ends', ARGV[5], 'state', 'running', 'total', 0}
        for i = 1, tonumber(ARGV[2]) do
          f[#f + 1] = 'c' .. i
          f[#f + 1] = 0
        end
        redis.call('HSET', KEYS[1], unpack(f))
        redis.call('SET', KEYS[2], ARGV[6])
        redis.call('PUBLISH', ARGV[7], ARGV[8])
        return 1
        """;

    /// <summary>
    /// KEYS: poll, voters, due list. ARGV: id, new state (ended|cancelled), now, keep ms, due member. Returns 1 when this
    /// call ended the poll (stamped <c>ended</c>: now, or the countdown's end if that came first; on the due list now,
    /// so the ticker stores the result if the caller cannot), 2 when it had ended already, 0 when the state is another
    /// poll's or gone. Both keys then live keep ms more.
    /// </summary>
    public const string End = """
        local h = redis.call('HMGET', KEYS[1], 'id', 'state', 'ends')
        if h[1] ~= ARGV[1] then return 0 end
        if h[2] ~= 'running' then return 2 end
        local ended, ends = tonumber(ARGV[3]), tonumber(h[3])
        if ends > 0 and ends < ended then ended = ends end
        redis.call('HSET', KEYS[1], 'state', ARGV[2], 'ended', ended)
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        redis.call('ZADD', KEYS[3], 0, ARGV[5])
        return 1
        """;

    /// <summary>
    /// KEYS: poll, view. ARGV: view JSON, lifetime ms (0: until dismissed), channel, message. Shows a result unless a
    /// poll runs (0).
    /// </summary>
    public const string Show = """
        if redis.call('HGET', KEYS[1], 'state') == 'running' then return 0 end
        if tonumber(ARGV[2]) > 0 then
          redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
        else
          redis.call('SET', KEYS[2], ARGV[1])
        end
        redis.call('PUBLISH', ARGV[3], ARGV[4])
        return 1
        """;

    /// <summary>KEYS: poll, view. ARGV: channel, message. Removes a shown result (not a running poll's view); 1 when one was shown.</summary>
    public const string Dismiss = """
        if redis.call('HGET', KEYS[1], 'state') == 'running' then return 0 end
        if redis.call('DEL', KEYS[2]) == 0 then return 0 end
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return 1
        """;

    /// <summary>KEYS: poll, view. ARGV: id, view JSON. Rewrites the running poll's view (its counts as of now); 0 once it ended.</summary>
    public const string Refresh = """
        local h = redis.call('HMGET', KEYS[1], 'id', 'state')
        if h[1] ~= ARGV[1] or h[2] ~= 'running' then return 0 end
        redis.call('SET', KEYS[2], ARGV[2])
        return 1
        """;
}

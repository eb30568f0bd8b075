using ChatPulse.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// Cluster-wide presence of overlays, per broadcaster, in Redis. Each replica holding sockets for a broadcaster
/// sends a heartbeat every <see cref="HeartbeatInterval"/>: its id scored with an expiry in
/// <see cref="RedisKeys.Presence"/> and its overlay count (previews and docks left out) in <see cref="RedisKeys.PresenceSockets"/>. A crashed
/// replica's entry ages out after <see cref="Ttl"/>.
/// <para>Contract for vote processing (zero-cost idle): a broadcaster is watched when
/// <c>ZCOUNT presence-key nowMs +inf</c> is greater than zero; a Lua script can check that itself.</para>
/// </summary>
public sealed class OverlayPresence(IConnectionMultiplexer redis, TimeProvider time)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);

    /// <summary>Both keys outlive the last heartbeat's expiry, so a crashed replica's entry is read as expired, then dropped.</summary>
    private static readonly TimeSpan KeyLifetime = Ttl * 2;

    // KEYS: presence, sockets. ARGV: replica id, expiry (Unix ms), overlay count (previews left out), key lifetime (ms).
    private const string HeartbeatScript =
        """
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        return 1
        """;

    // KEYS: presence, sockets. ARGV: replica id.
    private const string WithdrawScript =
        """
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        return 1
        """;

    // Drops expired replicas, then sums the live ones' sockets: one round trip.
    private static readonly LuaScript CountScript = LuaScript.Prepare(
        """
        local expired = redis.call('ZRANGEBYSCORE', @presence, '-inf', '(' .. @now)
        if #expired > 0 then
          redis.call('ZREMRANGEBYSCORE', @presence, '-inf', '(' .. @now)
          redis.call('HDEL', @sockets, unpack(expired))
        end
        local live = redis.call('ZRANGEBYSCORE', @presence, @now, '+inf')
        local total = 0
        for _, replica in ipairs(live) do
          total = total + tonumber(redis.call('HGET', @sockets, replica) or '0')
        end
        return total
        """);

    /// <summary>
    /// Records that <paramref name="replicaId"/> holds <paramref name="sockets"/> sockets for the broadcaster (0 removes
    /// it), <paramref name="overlays"/> of them the streamer's overlays (the rest are previews and docks,
    /// which keep the channel watched but are not counted by <see cref="CountAsync"/>).
    /// </summary>
    /// <remarks>
    /// One script call, atomic like a transaction, for a fifth of a MULTI/EXEC's commands and allocations: a replica
    /// with 1,000 broadcasters sends 200 heartbeats a second, and their garbage is most of what an idle replica makes.
    /// </remarks>
    public Task HeartbeatAsync(string broadcasterId, string replicaId, int sockets, int overlays, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RedisKey[] keys = [RedisKeys.Presence(broadcasterId), RedisKeys.PresenceSockets(broadcasterId)];
        return sockets > 0
            ? redis.GetDatabase().ScriptEvaluateAsync(HeartbeatScript, keys,
                [replicaId, time.GetUtcNow().Add(Ttl).ToUnixTimeMilliseconds(), overlays, (long)KeyLifetime.TotalMilliseconds])
            : redis.GetDatabase().ScriptEvaluateAsync(WithdrawScript, keys, [replicaId]);
    }

    /// <summary>
    /// <see cref="CountAsync"/>, or null while Redis does not answer: the pages that show the number stay up through an
    /// outage and say the count is unknown, rather than failing.
    /// </summary>
    public async Task<long?> TryCountAsync(string broadcasterId, CancellationToken cancellationToken)
    {
        try
        {
            return await CountAsync(broadcasterId, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Overlays connected for the broadcaster across the cluster (previews and docks not counted).</summary>
    public async Task<long> CountAsync(string broadcasterId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = await redis.GetDatabase().ScriptEvaluateAsync(CountScript, new
        {
            presence = (RedisKey)RedisKeys.Presence(broadcasterId),
            sockets = (RedisKey)RedisKeys.PresenceSockets(broadcasterId),
            now = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        return (long)result;
    }
}

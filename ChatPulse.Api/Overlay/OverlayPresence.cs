using ChatPulse.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// Cluster-wide presence of overlays, per broadcaster, in Redis. Each replica holding sockets for a broadcaster
/// sends a heartbeat every <see cref="HeartbeatInterval"/>: its id scored with an expiry in
/// <see cref="RedisKeys.Presence"/> and its socket count in <see cref="RedisKeys.PresenceSockets"/>. A crashed
/// replica's entry ages out after <see cref="Ttl"/>.
/// <para>Contract for vote processing (zero-cost idle): a broadcaster is watched when
/// <c>ZCOUNT presence-key nowMs +inf</c> is greater than zero; a Lua script can check that itself.</para>
/// </summary>
public sealed class OverlayPresence(IConnectionMultiplexer redis, TimeProvider time)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);

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

    /// <summary>Records that <paramref name="replicaId"/> holds <paramref name="sockets"/> sockets for the broadcaster (0 removes it).</summary>
    public async Task HeartbeatAsync(string broadcasterId, string replicaId, int sockets, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var db = redis.GetDatabase();
        var presence = RedisKeys.Presence(broadcasterId);
        var socketsKey = RedisKeys.PresenceSockets(broadcasterId);
        var batch = db.CreateTransaction();
        if (sockets > 0)
        {
            var expiry = time.GetUtcNow().Add(Ttl).ToUnixTimeMilliseconds();
            _ = batch.SortedSetAddAsync(presence, replicaId, expiry);
            _ = batch.HashSetAsync(socketsKey, replicaId, sockets);
            _ = batch.KeyExpireAsync(presence, Ttl * 2);
            _ = batch.KeyExpireAsync(socketsKey, Ttl * 2);
        }
        else
        {
            _ = batch.SortedSetRemoveAsync(presence, replicaId);
            _ = batch.HashDeleteAsync(socketsKey, replicaId);
        }

        await batch.ExecuteAsync();
    }

    /// <summary>Overlays connected for the broadcaster across the cluster.</summary>
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

    /// <summary>True when any replica's heartbeat for the broadcaster is still alive.</summary>
    public async Task<bool> IsWatchedAsync(string broadcasterId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await redis.GetDatabase().SortedSetLengthAsync(RedisKeys.Presence(broadcasterId), now, double.PositiveInfinity) > 0;
    }
}

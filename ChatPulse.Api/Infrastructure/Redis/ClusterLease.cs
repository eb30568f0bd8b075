using StackExchange.Redis;

namespace ChatPulse.Api.Infrastructure.Redis;

/// <summary>
/// A short Redis lease that one replica of the cluster holds at a time (the vote and poll tickers each have one):
/// the holder renews it every tick; a crashed holder's lease lapses within <see cref="Duration"/>.
/// </summary>
public sealed class ClusterLease(IConnectionMultiplexer redis, RedisKey key, string holder)
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);

    private const string HoldScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        return 0
        """;

    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    /// <summary>Takes or renews the lease; false while another replica holds it.</summary>
    public async Task<bool> HoldAsync() =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(HoldScript, [key], [holder, (long)Duration.TotalMilliseconds]) == 1;

    /// <summary>Hands the lease over at once instead of after it lapses (only when this replica holds it).</summary>
    public Task ReleaseAsync() => redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [key], [holder]);
}

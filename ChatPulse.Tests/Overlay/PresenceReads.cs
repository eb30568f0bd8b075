using ChatPulse.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace ChatPulse.Tests.Overlay;

/// <summary>Overlay presence read straight from Redis, as the vote script reads it, for assertions.</summary>
internal static class PresenceReads
{
    /// <summary>True when any replica's heartbeat for the broadcaster is still alive at <paramref name="time"/>'s now.</summary>
    public static async Task<bool> IsWatchedAsync(IConnectionMultiplexer redis, string broadcasterId, TimeProvider time) =>
        await redis.GetDatabase().SortedSetLengthAsync(RedisKeys.Presence(broadcasterId), time.GetUtcNow().ToUnixTimeMilliseconds(), double.PositiveInfinity) > 0;
}

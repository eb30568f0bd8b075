using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Infrastructure.Settings;
using StackExchange.Redis;

namespace ChatPulse.Api.Twitch.EventSub;

/// <summary>
/// A Redis lock (<c>LockTake</c>/<c>LockRelease</c>) per Twitch app, so one replica at a time sets up the conduit
/// and reconciles. It expires by itself if the holder dies; the steps are idempotent should it expire mid-way.
/// </summary>
public sealed class EventSubLock(IConnectionMultiplexer redis, IOptions<TwitchOptions> options)
{
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(5);

    /// <summary>The held lock (dispose to release), or null when another replica holds it.</summary>
    public async Task<IAsyncDisposable?> TryTakeAsync()
    {
        var key = (RedisKey)RedisKeys.EventSubSetupLock(options.Value.ClientId);
        var token = (RedisValue)Guid.NewGuid().ToString("N");
        var database = redis.GetDatabase();
        return await database.LockTakeAsync(key, token, Expiry) ? new Held(database, key, token) : null;
    }

    private sealed class Held(IDatabase database, RedisKey key, RedisValue token) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await database.LockReleaseAsync(key, token);
    }
}

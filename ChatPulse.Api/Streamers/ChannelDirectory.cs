using ChatPulse.Api.Infrastructure.Telemetry;
using Microsoft.Extensions.Caching.Memory;

namespace ChatPulse.Api.Streamers;

/// <summary>
/// The hot-path read of a channel's settings (webhook, overlay): an in-process cache of a few seconds over
/// Postgres, dropped on every replica the moment a streamer saves (via <see cref="StreamerEvents"/>).
/// </summary>
public sealed class ChannelDirectory
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private readonly StreamerStore _store;
    private readonly IMemoryCache _cache;
    private readonly ChatPulseMetrics _metrics;

    public ChannelDirectory(StreamerStore store, IMemoryCache cache, ChatPulseMetrics metrics, StreamerEvents events)
    {
        _store = store;
        _cache = cache;
        _metrics = metrics;
        events.Subscribe(e =>
        {
            _cache.Remove(CacheKey(e.BroadcasterId));
            return Task.CompletedTask;
        });
    }

    /// <summary>The channel of a Twitch broadcaster id, or null when no streamer has that id.</summary>
    public async Task<ChannelSettings?> GetAsync(string broadcasterId, CancellationToken cancellationToken)
    {
        var key = CacheKey(broadcasterId);
        if (_cache.TryGetValue(key, out ChannelSettings? cached))
        {
            _metrics.CacheLookups.Add(1, new KeyValuePair<string, object?>("result", "hit"));
            return cached;
        }

        _metrics.CacheLookups.Add(1, new KeyValuePair<string, object?>("result", "miss"));
        var channel = await _store.GetChannelAsync(broadcasterId, cancellationToken);
        _cache.Set(key, channel, CacheLifetime);
        return channel;
    }

    /// <summary>Drops this replica's copy at once; other replicas drop theirs when the event arrives.</summary>
    public void Invalidate(string broadcasterId) => _cache.Remove(CacheKey(broadcasterId));

    private static string CacheKey(string broadcasterId) => $"channel:{broadcasterId}";
}

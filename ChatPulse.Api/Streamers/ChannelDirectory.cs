using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.Telemetry;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;

namespace ChatPulse.Api.Streamers;

/// <summary>
/// The hot-path read of a channel's settings (webhook, overlay): an in-process <see cref="HybridCache"/> of a few
/// seconds over Postgres, which merges concurrent misses of one channel into one query, dropped on every replica the
/// moment a streamer saves (via <see cref="StreamerEvents"/>). When Postgres cannot be reached, the channel's last
/// known settings are served for as long as the outage lasts: they change only through a save, which needs Postgres.
/// </summary>
public sealed class ChannelDirectory
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    /// <summary>How long a channel nobody asks for is still remembered for an outage (memory stays bounded).</summary>
    public static readonly TimeSpan LastKnownRetention = TimeSpan.FromHours(1);

    // Local only: a Redis-backed second level would make every Redis blink a configuration outage too.
    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = CacheLifetime,
        LocalCacheExpiration = CacheLifetime,
        Flags = HybridCacheEntryFlags.DisableDistributedCache,
    };

    private readonly StreamerStore _store;
    private readonly HybridCache _cache;
    private readonly IMemoryCache _lastKnown;
    private readonly ChatPulseMetrics _metrics;

    public ChannelDirectory(StreamerStore store, HybridCache cache, IMemoryCache lastKnown, ChatPulseMetrics metrics, StreamerEvents events)
    {
        _store = store;
        _cache = cache;
        _lastKnown = lastKnown;
        _metrics = metrics;
        events.Subscribe(e =>
        {
            Invalidate(e.BroadcasterId);
            return Task.CompletedTask;
        });
    }

    /// <summary>The channel of a Twitch broadcaster id, or null when no streamer has that id.</summary>
    /// <exception cref="Npgsql.NpgsqlException">Postgres is unavailable and this replica never knew the channel.</exception>
    public async Task<ChannelSettings?> GetAsync(string broadcasterId, CancellationToken cancellationToken)
    {
        var lookup = new Lookup(this, broadcasterId);
        var channel = await _cache.GetOrCreateAsync(CacheKey(broadcasterId), lookup,
            static (lookup, token) => lookup.LoadAsync(token), Entry, cancellationToken: cancellationToken);
        if (!lookup.Queried)
        {
            _metrics.CacheLookups.Add(1, new KeyValuePair<string, object?>("result", "hit")); // cached, or merged into another caller's query
        }

        return channel;
    }

    /// <summary>Drops this replica's copy at once; other replicas drop theirs when the event arrives.</summary>
    public void Invalidate(string broadcasterId)
    {
        // A configuration known to be outdated is not served in an outage either.
        _lastKnown.Remove(LastKnownKey(broadcasterId));
        // The local entry is gone when RemoveAsync returns; only a distributed level (none is used) would be pending.
        var removal = _cache.RemoveAsync(CacheKey(broadcasterId));
        if (!removal.IsCompletedSuccessfully)
        {
            _ = removal.AsTask();
        }
    }

    private async ValueTask<ChannelSettings?> QueryAsync(string broadcasterId, CancellationToken cancellationToken)
    {
        try
        {
            var channel = await _store.GetChannelAsync(broadcasterId, cancellationToken);
            if (channel is not null)
            {
                _lastKnown.Set(LastKnownKey(broadcasterId), channel, new MemoryCacheEntryOptions { SlidingExpiration = LastKnownRetention });
            }

            _metrics.CacheLookups.Add(1, new KeyValuePair<string, object?>("result", "miss"));
            return channel;
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e)
            && _lastKnown.TryGetValue(LastKnownKey(broadcasterId), out ChannelSettings? known) && known is not null)
        {
            // Cached like a fresh answer: one retry per channel per CacheLifetime while Postgres is down.
            _metrics.CacheLookups.Add(1, new KeyValuePair<string, object?>("result", "stale"));
            return known;
        }
    }

    private static string CacheKey(string broadcasterId) => $"channel:{broadcasterId}";

    private static string LastKnownKey(string broadcasterId) => $"channel-last-known:{broadcasterId}";

    /// <summary>One caller's lookup: tells whether this caller ran the query or got another's answer.</summary>
    private sealed class Lookup(ChannelDirectory directory, string broadcasterId)
    {
        public bool Queried { get; private set; }

        public ValueTask<ChannelSettings?> LoadAsync(CancellationToken cancellationToken)
        {
            Queried = true;
            return directory.QueryAsync(broadcasterId, cancellationToken);
        }
    }
}

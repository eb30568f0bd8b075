using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Streamers;
using Microsoft.Extensions.Caching.Memory;

namespace ChatPulse.Api.Overlay;

/// <summary>What an overlay id lookup found.</summary>
internal enum OverlayLookupResult
{
    Known,
    Unknown,

    /// <summary>Postgres could not be asked, and this replica does not know the id.</summary>
    DatabaseUnavailable,
}

/// <summary>An overlay id resolved to its broadcaster, or why not.</summary>
internal readonly record struct OverlayLookup(OverlayLookupResult Result, string? BroadcasterId = null);

/// <summary>
/// The page's and socket's overlay id → broadcaster lookup, with this replica's memory of the answers. An unknown id
/// is remembered for <see cref="UnknownMemory"/>, so a flood of one random id costs one Postgres query (and random
/// ids cost what the per-client rate limits let through). A known id is remembered for <see cref="KnownMemory"/> and
/// used only when Postgres fails: its overlay keeps loading through an outage, which cannot rotate the id (rotation
/// writes to Postgres; a rotation seen just before is forgotten here through <see cref="Forget"/>).
/// </summary>
internal sealed class OverlayDirectory(StreamerStore store, ChatPulseMetrics metrics, ILogger<OverlayDirectory> logger) : IDisposable
{
    public static readonly TimeSpan UnknownMemory = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan KnownMemory = TimeSpan.FromHours(1);

    private static readonly KeyValuePair<string, object?> FromDatabase = new("source", "database");
    private static readonly KeyValuePair<string, object?> RememberedUnknown = new("source", "remembered_unknown");
    private static readonly KeyValuePair<string, object?> RememberedKnown = new("source", "remembered_known");

    // Its own cache with a bound, so a flood of distinct ids cannot grow memory; when full, lookups go to Postgres.
    private readonly MemoryCache _memory = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public async Task<OverlayLookup> FindAsync(Guid overlayId, CancellationToken cancellationToken)
    {
        if (_memory.TryGetValue(UnknownKey(overlayId), out _))
        {
            metrics.OverlayLookups.Add(1, RememberedUnknown);
            return new OverlayLookup(OverlayLookupResult.Unknown);
        }

        try
        {
            metrics.OverlayLookups.Add(1, FromDatabase);
            var streamer = await store.GetByOverlayIdAsync(overlayId, cancellationToken);
            if (streamer is null)
            {
                _memory.Remove(KnownKey(overlayId));
                _memory.Set(UnknownKey(overlayId), true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = UnknownMemory, Size = 1 });
                return new OverlayLookup(OverlayLookupResult.Unknown);
            }

            _memory.Set(KnownKey(overlayId), streamer.TwitchUserId, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = KnownMemory, Size = 1 });
            return new OverlayLookup(OverlayLookupResult.Known, streamer.TwitchUserId);
        }
        catch (Exception e) when (IsDatabaseOutage(e, cancellationToken))
        {
            if (_memory.TryGetValue(KnownKey(overlayId), out string? broadcasterId))
            {
                metrics.OverlayLookups.Add(1, RememberedKnown);
                return new OverlayLookup(OverlayLookupResult.Known, broadcasterId);
            }

            logger.LogWarning(e, "Overlay lookup could not reach Postgres");
            return new OverlayLookup(OverlayLookupResult.DatabaseUnavailable);
        }
    }

    /// <summary>Drops what this replica knows of a rotated id.</summary>
    public void Forget(Guid overlayId) => _memory.Remove(KnownKey(overlayId));

    /// <summary>
    /// Postgres unreachable, timed out or refusing (<see cref="DatabaseFailures"/>): not a bug in the request, so a 503
    /// rather than a 500. Bad SQL or a violated constraint is a bug, not an outage, and stays a 500.
    /// </summary>
    public static bool IsDatabaseOutage(Exception e, CancellationToken cancellationToken) =>
        DatabaseFailures.IsUnavailable(e) || e is TimeoutException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    public void Dispose() => _memory.Dispose();

    private static string UnknownKey(Guid overlayId) => $"unknown:{overlayId}";

    private static string KnownKey(Guid overlayId) => $"known:{overlayId}";
}

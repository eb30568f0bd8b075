using System.Text.Json;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Tests.Twitch;

/// <summary>
/// A real streamer in the fixture's Postgres with an overlay "connected" (a presence heartbeat in Redis), and a
/// subscription to its sentiment channel: what a test needs for votes to count and to watch them arrive.
/// </summary>
public sealed class VoteTestChannel : IAsyncDisposable
{
    private const string OverlayReplica = "test-replica";

    private readonly IConnectionMultiplexer _redis;
    private readonly ChannelMessageQueue _snapshots;
    private CancellationTokenSource? _overlay;
    private Task _heartbeats = Task.CompletedTask;

    private VoteTestChannel(IConnectionMultiplexer redis, string broadcasterId, Streamer? streamer, ChannelMessageQueue snapshots)
    {
        _redis = redis;
        BroadcasterId = broadcasterId;
        Streamer = streamer;
        _snapshots = snapshots;
    }

    public string BroadcasterId { get; }

    /// <summary>Null when the channel was created elsewhere (<see cref="WatchAsync"/>).</summary>
    public Streamer? Streamer { get; }

    public static async Task<VoteTestChannel> CreateAsync(NpgsqlDataSource dataSource, IConnectionMultiplexer redis,
        OverlayConfiguration? configuration = null, bool watched = true)
    {
        var broadcasterId = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString();
        var store = new StreamerStore(dataSource);
        var (streamer, _) = await store.UpsertOnLoginAsync(broadcasterId, $"s{broadcasterId}", "S", default);
        if (configuration is not null)
        {
            await store.SaveConfigurationAsync(streamer.Id, configuration, default);
        }

        if (watched)
        {
            await new OverlayPresence(redis, TimeProvider.System).HeartbeatAsync(broadcasterId, OverlayReplica, 1, 1, default);
        }

        var snapshots = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisKeys.SentimentChannel(broadcasterId)));
        return new VoteTestChannel(redis, broadcasterId, streamer, snapshots);
    }

    /// <summary>Watches the sentiment channel of a broadcaster created elsewhere (e.g. by a login).</summary>
    public static async Task<VoteTestChannel> WatchAsync(IConnectionMultiplexer redis, string broadcasterId)
    {
        var snapshots = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisKeys.SentimentChannel(broadcasterId)));
        return new VoteTestChannel(redis, broadcasterId, null, snapshots);
    }

    /// <summary>
    /// Keeps the overlay "connected" past <see cref="OverlayPresence.Ttl"/>, heartbeating as the replica holding it
    /// does, until the channel is disposed: for votes that may arrive later than one heartbeat lasts.
    /// </summary>
    public void StayWatched()
    {
        if (_overlay is null)
        {
            _overlay = new CancellationTokenSource();
            _heartbeats = HeartbeatsAsync(_overlay.Token);
        }
    }

    private async Task HeartbeatsAsync(CancellationToken cancellationToken)
    {
        var presence = new OverlayPresence(_redis, TimeProvider.System);
        try
        {
            while (true)
            {
                var retry = TimeSpan.FromSeconds(1);
                try
                {
                    await presence.HeartbeatAsync(BroadcasterId, OverlayReplica, 1, 1, cancellationToken);
                    retry = OverlayPresence.HeartbeatInterval;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    // Redis is away: try again next second, as the replica's overlay clock does.
                }

                await Task.Delay(retry, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The channel was disposed.
        }
    }

    /// <summary>The window's totals as stored in Redis (read directly, not through the code under test).</summary>
    public async Task<(long For, long Against)> TotalsAsync()
    {
        var values = await _redis.GetDatabase().HashGetAsync(RedisKeys.VoteWindow(BroadcasterId), ["F", "A"]);
        return ((long?)values[0] ?? 0, (long?)values[1] ?? 0);
    }

    public Task<bool> WindowExistsAsync() => _redis.GetDatabase().KeyExistsAsync(RedisKeys.VoteWindow(BroadcasterId));

    /// <summary>The next snapshot published on the broadcaster's channel, parsed as the overlay will parse it.</summary>
    public async Task<SentimentSnapshot> NextSnapshotAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Waits.Short);
        var message = await _snapshots.ReadAsync(cts.Token);
        return JsonSerializer.Deserialize<SentimentSnapshot>((string)message.Message!, JsonSerializerOptions.Web)!;
    }

    /// <summary>The next snapshot, or null when none arrives within <paramref name="quiet"/>.</summary>
    public async Task<SentimentSnapshot?> NextSnapshotOrNullAsync(TimeSpan quiet)
    {
        try
        {
            return await NextSnapshotAsync(quiet);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>True when no snapshot arrives within <paramref name="quiet"/>.</summary>
    public async Task<bool> StaysQuietAsync(TimeSpan quiet) => await NextSnapshotOrNullAsync(quiet) is null;

    public async ValueTask DisposeAsync()
    {
        if (_overlay is not null)
        {
            await _overlay.CancelAsync();
            await _heartbeats;
            _overlay.Dispose();
        }

        await _snapshots.UnsubscribeAsync();
    }
}

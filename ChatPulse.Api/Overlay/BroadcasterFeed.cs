using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using StackExchange.Redis;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// One broadcaster's Redis side on this replica, alive exactly while the replica holds sockets for it: the
/// subscription to its sentiment channel, and its presence heartbeats.
/// </summary>
internal sealed class BroadcasterFeed(BroadcasterGroup group, OverlayFeedServices services)
{
    private readonly SemaphoreSlim _presenceGate = new(1, 1);
    private ChannelMessageQueue? _subscription;
    private int _reportedCount = -1;
    private long _reportedAt;
    private bool _stopped;

    public BroadcasterGroup Group => group;

    public string BroadcasterId => group.BroadcasterId;

    /// <summary>Subscription, current window, first heartbeat; joining sockets wait for it.</summary>
    public Task Started { get; private set; } = Task.CompletedTask;

    public void Start(CancellationToken stopping) => Started = StartAsync(stopping);

    /// <summary>Heartbeats when the socket count changed or the last heartbeat is getting old.</summary>
    public async Task ReportPresenceAsync(bool force, CancellationToken cancellationToken)
    {
        await _presenceGate.WaitAsync(cancellationToken);
        try
        {
            var count = group.Count;
            var now = services.Time.GetTimestamp();
            var fresh = count == _reportedCount && services.Time.GetElapsedTime(_reportedAt, now) < OverlayPresence.HeartbeatInterval;
            if (_stopped || count == 0 || (fresh && !force))
            {
                return;
            }

            await services.Presence.HeartbeatAsync(BroadcasterId, services.Replica.Id, count, cancellationToken);
            (_reportedCount, _reportedAt) = (count, now);
        }
        finally
        {
            _presenceGate.Release();
        }
    }

    /// <summary>Unsubscribes and withdraws this replica's presence; after it no heartbeat is sent.</summary>
    public async Task StopAsync()
    {
        await _presenceGate.WaitAsync();
        try
        {
            _stopped = true;
            if (_subscription is not null)
            {
                await _subscription.UnsubscribeAsync();
            }

            await services.Presence.HeartbeatAsync(BroadcasterId, services.Replica.Id, 0, CancellationToken.None);
        }
        catch (RedisException e)
        {
            services.Logger.LogWarning(e, "Could not withdraw overlay presence for {Broadcaster}; it ages out", BroadcasterId);
        }
        finally
        {
            _presenceGate.Release();
        }
    }

    private async Task StartAsync(CancellationToken stopping)
    {
        // Subscribe before reading the window, so no change falls between the two.
        var channel = RedisChannel.Literal(RedisKeys.SentimentChannel(BroadcasterId));
        _subscription = await services.Redis.GetSubscriber().SubscribeAsync(channel);
        _subscription.OnMessage(OnMessage); // one message at a time, in publish order
        group.Apply(await services.Sentiment.GetAsync(BroadcasterId, stopping));
        await ReportPresenceAsync(force: true, stopping);
    }

    private void OnMessage(ChannelMessage message)
    {
        var snapshot = message.Message.HasValue ? OverlayFrames.ReadSnapshot(message.Message.ToString()) : null;
        if (snapshot is null || snapshot.BroadcasterId != BroadcasterId)
        {
            services.Logger.LogWarning("Ignoring a malformed sentiment snapshot on {Channel}", message.Channel);
            return;
        }

        group.Apply(snapshot);
    }
}

/// <summary>What every <see cref="BroadcasterFeed"/> needs, resolved once.</summary>
internal sealed record OverlayFeedServices(
    IConnectionMultiplexer Redis,
    ISentimentSource Sentiment,
    OverlayPresence Presence,
    Infrastructure.ReplicaIdentity Replica,
    TimeProvider Time,
    ILogger Logger);

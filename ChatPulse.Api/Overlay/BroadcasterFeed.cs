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
    private readonly SemaphoreSlim _subscriptionGate = new(1, 1);
    private ChannelMessageQueue? _subscription;
    private (int Sockets, int Overlays) _reportedCount = (-1, -1);
    private long _reportedAt;
    private bool _stopped;

    public BroadcasterGroup Group => group;

    public string BroadcasterId => group.BroadcasterId;

    /// <summary>
    /// Subscription, current window, first heartbeat; joining sockets wait for it. It does not fail when Redis is
    /// down: the sockets then show the group's state (this replica's last known) until <see cref="RefreshAsync"/>.
    /// </summary>
    public Task Started { get; private set; } = Task.CompletedTask;

    public void Start(CancellationToken stopping) => Started = StartAsync(stopping);

    /// <summary>Heartbeats when the socket count changed or the last heartbeat is getting old.</summary>
    public async Task ReportPresenceAsync(bool force, CancellationToken cancellationToken)
    {
        await _presenceGate.WaitAsync(cancellationToken);
        try
        {
            var (count, overlays) = (group.Count, group.OverlayCount);
            var now = services.Time.GetTimestamp();
            var fresh = (count, overlays) == _reportedCount && services.Time.GetElapsedTime(_reportedAt, now) < OverlayPresence.HeartbeatInterval;
            if (_stopped || count == 0 || (fresh && !force))
            {
                return;
            }

            await services.Presence.HeartbeatAsync(BroadcasterId, services.Replica.Id, count, overlays, cancellationToken);
            (_reportedCount, _reportedAt) = ((count, overlays), now);
        }
        finally
        {
            _presenceGate.Release();
        }
    }

    /// <summary>False while the feed has no subscription (it started, or its refresh failed, while Redis was away).</summary>
    public bool Subscribed => Volatile.Read(ref _subscription) is not null;

    /// <summary>
    /// Subscribes if not yet subscribed, re-reads the window and the poll view, and sends a heartbeat: at start, and
    /// once Redis is back after an outage, so a snapshot or poll change published while the subscription was down
    /// (a replayed vote, a poll's end) is not lost.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _subscriptionGate.WaitAsync(cancellationToken);
        try
        {
            if (_stopped)
            {
                return;
            }

            // Subscribe before reading the window, so no change falls between the two. The client resubscribes by
            // itself after a reconnect; only a subscription that never started is made here.
            if (_subscription is null)
            {
                var channel = RedisChannel.Literal(RedisKeys.SentimentChannel(BroadcasterId));
                _subscription = await services.Redis.GetSubscriber().SubscribeAsync(channel);
                _subscription.OnMessage(OnMessage); // one message at a time, in publish order
            }
        }
        finally
        {
            _subscriptionGate.Release();
        }

        var read = group.StartPollRead();
        var poll = services.Polls.ReadViewAsync(BroadcasterId); // sent first, in the order of the reads' tickets
        var window = services.Sentiment.GetAsync(BroadcasterId, cancellationToken);
        group.Apply(await window);
        group.ApplyRead(PollViews.Valid(await poll), read); // with a running poll's counts as of the read
        await ReportPresenceAsync(force: true, cancellationToken);
    }

    /// <summary>Unsubscribes and withdraws this replica's presence; after it no heartbeat is sent.</summary>
    public async Task StopAsync()
    {
        await _subscriptionGate.WaitAsync();
        await _presenceGate.WaitAsync();
        try
        {
            _stopped = true;
            if (_subscription is not null)
            {
                await _subscription.UnsubscribeAsync();
            }

            await services.Presence.HeartbeatAsync(BroadcasterId, services.Replica.Id, 0, 0, CancellationToken.None);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            services.Logger.LogWarning(e, "Could not withdraw overlay presence for {Broadcaster}; it ages out", BroadcasterId);
        }
        finally
        {
            _presenceGate.Release();
            _subscriptionGate.Release();
        }
    }

    /// <summary>Redis (or, through the window's channel lookup, Postgres) did not answer: the socket carries on.</summary>
    public static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException or System.Data.Common.DbException;

    private async Task StartAsync(CancellationToken stopping)
    {
        if (!services.Redis.IsConnected)
        {
            return; // not worth the client's timeout per socket: the reconnect refresh does it
        }

        try
        {
            await RefreshAsync(stopping);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            services.Logger.LogWarning(e, "Overlay feed for {Broadcaster} starts from its last known state", BroadcasterId);
        }
    }

    private void OnMessage(ChannelMessage message)
    {
        var read = message.Message.HasValue ? SentimentChannelMessage.Read(message.Message.ToString()) : null;
        switch (read)
        {
            case { BroadcasterId: var id } when id != BroadcasterId:
            case null:
                break;
            case { Kind: null }:
                group.Apply(read.ToSnapshot());
                return;
            case { Kind: SentimentChannelMessage.PollKind } when read.View is null || PollViews.Valid(read.View) is not null:
                group.Apply(read.View);
                return;
            case { Kind: SentimentChannelMessage.PollCountsKind, PollId: { } pollId, Counts: { } counts }:
                group.Apply(new PollCounts(pollId, counts, read.Total, read.At)); // false: stale or another poll's, dropped
                return;
        }

        services.Logger.LogWarning("Ignoring a malformed message on {Channel}", message.Channel);
    }
}

/// <summary>What every <see cref="BroadcasterFeed"/> needs, resolved once.</summary>
internal sealed record OverlayFeedServices(
    IConnectionMultiplexer Redis,
    ISentimentSource Sentiment,
    Polls.PollState Polls,
    OverlayPresence Presence,
    Infrastructure.ReplicaIdentity Replica,
    TimeProvider Time,
    ILogger Logger);

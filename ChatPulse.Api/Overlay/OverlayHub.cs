using System.Net.WebSockets;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using Microsoft.Extensions.Caching.Memory;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// This replica's overlay sockets, grouped per broadcaster: the per-broadcaster feeds that exist only while sockets
/// do (and the last state each showed, remembered a while after), and closing sockets on shutdown (1001).
/// </summary>
internal sealed class OverlayHub(
    OverlayFeedServices services,
    ChatPulseMetrics metrics,
    IMemoryCache memory,
    IHostApplicationLifetime lifetime) : IHostedService
{
    /// <summary>How long a rotated id is remembered, to refuse a socket that resolved it just before the rotation.</summary>
    private static readonly TimeSpan RotatedMemory = TimeSpan.FromMinutes(10);

    /// <summary>How long a broadcaster's last shown state outlives its feed, for a socket that returns while Redis is down.</summary>
    private static readonly TimeSpan LastStateMemory = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, BroadcasterFeed> _feeds = [];
    private readonly Lock _feedsGate = new();
    private readonly CancellationTokenSource _stopping = new();

    public bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>The feeds alive now (a copy).</summary>
    public IReadOnlyList<BroadcasterFeed> Feeds
    {
        get
        {
            lock (_feedsGate)
            {
                return [.. _feeds.Values];
            }
        }
    }

    public BroadcasterFeed? FindFeed(string broadcasterId)
    {
        lock (_feedsGate)
        {
            return _feeds.GetValueOrDefault(broadcasterId);
        }
    }

    /// <summary>Serves an accepted socket until it closes: current state at once, then coalesced updates.</summary>
    public async Task ServeAsync(WebSocket socket, Guid overlayId, ChannelSettings channel, bool preview, CancellationToken aborted)
    {
        var connection = new OverlayConnection(socket, overlayId, channel.Streamer.TwitchUserId, metrics, preview);
        var feed = await JoinAsync(connection, channel.Configuration, aborted);
        try
        {
            connection.Enqueue(feed.Group.CurrentFrame());
            if (IsRotated(overlayId))
            {
                connection.RequestClose(OverlayProtocol.CloseOverlayGone, "overlay rotated");
            }
            else if (IsStopping)
            {
                connection.RequestClose(OverlayProtocol.CloseGoingAway, "server shutting down");
            }

            await connection.RunAsync(aborted);
        }
        finally
        {
            await LeaveAsync(feed, connection);
        }
    }

    /// <summary>Closes the sockets on a rotated overlay id with <see cref="OverlayProtocol.CloseOverlayGone"/>.</summary>
    public void CloseRotated(string broadcasterId, Guid oldOverlayId)
    {
        memory.Set(RotatedKey(oldOverlayId), true, RotatedMemory); // first, so a socket joining now sees it
        foreach (var member in FindFeed(broadcasterId)?.Group.Members ?? [])
        {
            if (member.OverlayId == oldOverlayId)
            {
                member.RequestClose(OverlayProtocol.CloseOverlayGone, "overlay rotated");
            }
        }
    }

    public bool IsRotated(Guid overlayId) => memory.TryGetValue(RotatedKey(overlayId), out _);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(CloseAll);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Closes every socket with 1001 so pages reconnect to another replica; new ones are refused.</summary>
    private void CloseAll()
    {
        _stopping.Cancel();
        foreach (var feed in Feeds)
        {
            foreach (var member in feed.Group.Members)
            {
                member.RequestClose(OverlayProtocol.CloseGoingAway, "server shutting down");
            }
        }
    }

    private async Task<BroadcasterFeed> JoinAsync(OverlayConnection connection, OverlayConfiguration configuration, CancellationToken aborted)
    {
        while (true)
        {
            BroadcasterFeed? feed;
            bool joined;
            lock (_feedsGate)
            {
                var created = !_feeds.TryGetValue(connection.BroadcasterId, out feed);
                if (created)
                {
                    var group = new BroadcasterGroup(connection.BroadcasterId, configuration, services.Time, metrics);
                    if (memory.TryGetValue(LastStateKey(connection.BroadcasterId), out OverlayGroupState? last) && last is not null)
                    {
                        group.Restore(last); // what this replica last showed, until (or if) Redis answers with newer
                    }

                    feed = new BroadcasterFeed(group, services);
                    _feeds[connection.BroadcasterId] = feed;
                }

                joined = feed!.Group.TryAdd(connection);
                if (created)
                {
                    // After the socket joined: the feed's first heartbeat must count it, or votes cast before the
                    // next tick would find no overlay and be dropped (zero-cost idle).
                    feed.Start(_stopping.Token);
                }
            }

            if (joined)
            {
                try
                {
                    await feed.Started.WaitAsync(aborted);
                    return feed;
                }
                catch
                {
                    await LeaveAsync(feed, connection);
                    throw;
                }
            }

            await feed.Group.Closed.WaitAsync(aborted); // the last socket just left; a fresh feed follows
        }
    }

    private async Task LeaveAsync(BroadcasterFeed feed, OverlayConnection connection)
    {
        if (!feed.Group.Remove(connection))
        {
            return;
        }

        memory.Set(LastStateKey(feed.BroadcasterId), feed.Group.State, LastStateMemory); // before presence is withdrawn
        try
        {
            await feed.StopAsync();
        }
        finally
        {
            lock (_feedsGate)
            {
                _feeds.Remove(feed.BroadcasterId);
            }

            feed.Group.MarkClosed();
        }
    }

    private static string RotatedKey(Guid overlayId) => $"overlay-rotated:{overlayId}";

    private static string LastStateKey(string broadcasterId) => $"overlay-last-state:{broadcasterId}";
}

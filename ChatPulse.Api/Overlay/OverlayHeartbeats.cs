using StackExchange.Redis;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// The replica's clock for overlays: each second, presence for every broadcaster whose socket count changed
/// (and, every <see cref="OverlayPresence.HeartbeatInterval"/>, for all); every
/// <see cref="OverlayProtocol.HeartbeatInterval"/>, an app-level ping to every socket. While Redis is down the
/// sockets stay open and presence waits; when it is back, every feed refreshes (<see cref="BroadcasterFeed.RefreshAsync"/>).
/// </summary>
internal sealed class OverlayHeartbeats(OverlayHub hub, IConnectionMultiplexer redis, TimeProvider time, ILogger<OverlayHeartbeats> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Each of the two connections (commands, subscriptions) reports its own return; refreshing after each costs a
        // window read per feed and covers the order they come back in.
        void OnRestored(object? sender, ConnectionFailedEventArgs e) => _ = RefreshAllAsync(stoppingToken);

        redis.ConnectionRestored += OnRestored;
        try
        {
            await RunAsync(stoppingToken);
        }
        finally
        {
            redis.ConnectionRestored -= OnRestored;
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        var lastPing = time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (time.GetElapsedTime(lastPing) >= OverlayProtocol.HeartbeatInterval)
                {
                    lastPing = time.GetTimestamp();
                    Ping();
                }

                if (redis.IsConnected)
                {
                    await ReportPresenceAsync(stoppingToken); // an outage would hold each tick for the client's timeout
                    await SubscribeMissingAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; each feed withdraws its own presence as its sockets close.
        }
    }

    // A ping through the subscription connection follows its resubscriptions, so the window read after it misses
    // nothing published before them, and the subscription shows what comes after.
    private async Task RefreshAllAsync(CancellationToken stoppingToken)
    {
        try
        {
            await redis.GetSubscriber().PingAsync();
            await Task.WhenAll(hub.Feeds.Select(feed => feed.RefreshAsync(stoppingToken)));
            logger.LogInformation("Redis is back; overlay feeds re-read their windows");
        }
        catch (Exception e) when (BroadcasterFeed.IsRedisFailure(e))
        {
            logger.LogWarning(e, "Overlay feeds could not refresh after Redis came back; presence retries each tick");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    // A feed that never got its subscription (started, or failed its refresh, while Redis was away) tries again each
    // tick: otherwise its overlay would stay frozen while its votes count, until the next outage's refresh.
    private async Task SubscribeMissingAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(hub.Feeds.Where(feed => !feed.Subscribed).Select(feed => feed.RefreshAsync(stoppingToken)));
        }
        catch (Exception e) when (BroadcasterFeed.IsRedisFailure(e))
        {
            logger.LogDebug(e, "An overlay feed could not subscribe yet; it retries next tick");
        }
    }

    private void Ping()
    {
        foreach (var feed in hub.Feeds)
        {
            foreach (var member in feed.Group.Members)
            {
                member.EnqueuePing();
            }
        }
    }

    private async Task ReportPresenceAsync(CancellationToken stoppingToken)
    {
        var reports = hub.Feeds.Select(feed => feed.ReportPresenceAsync(force: false, stoppingToken));
        try
        {
            await Task.WhenAll(reports);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Overlay presence heartbeat failed; retrying next tick");
        }
    }
}

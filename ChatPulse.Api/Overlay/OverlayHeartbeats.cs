using StackExchange.Redis;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// The replica's clock for overlays: each second, presence for every broadcaster whose socket count changed
/// (and, every <see cref="OverlayPresence.HeartbeatInterval"/>, for all); every
/// <see cref="OverlayProtocol.HeartbeatInterval"/>, an app-level ping to every socket.
/// </summary>
internal sealed class OverlayHeartbeats(OverlayHub hub, TimeProvider time, ILogger<OverlayHeartbeats> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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

                await ReportPresenceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; each feed withdraws its own presence as its sockets close.
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

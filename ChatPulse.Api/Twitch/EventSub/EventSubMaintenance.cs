using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.Telemetry;

namespace ChatPulse.Api.Twitch.EventSub;

/// <summary>
/// At start-up and every <see cref="Interval"/> after (or sooner when asked), under the <see cref="EventSubLock"/>:
/// set up the conduit and shard 0, then reconcile the streamers' subscriptions. A round that fails is retried
/// with exponential backoff (up to <see cref="MaxBackoff"/>), logging why — e.g. while the webhook endpoint does
/// not yet answer the shard's challenge.
/// </summary>
public sealed class EventSubMaintenance(
    ConduitManager conduits, SubscriptionReconciler reconciler, EventSubLock setupLock, ReconcileTrigger trigger,
    MigrationState migrations, ChatPulseMetrics metrics, TimeProvider time, ILogger<EventSubMaintenance> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LockBusyRetry = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.Completed.WaitAsync(stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan next;
            try
            {
                await using var held = await setupLock.TryTakeAsync();
                if (held is null)
                {
                    next = LockBusyRetry;
                }
                else
                {
                    failures = await RunRoundAsync(stoppingToken) ? 0 : failures + 1;
                    next = failures == 0 ? Interval : Backoff(failures);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                next = Backoff(failures);
                logger.LogWarning(e, "EventSub set-up failed (attempt {Attempt}); retrying in {Delay}", failures, next);
            }

            await trigger.WaitAsync(next, time, stoppingToken);
        }
    }

    /// <summary>One round; true when the shard is enabled and every subscription reconciled.</summary>
    public async Task<bool> RunRoundAsync(CancellationToken cancellationToken)
    {
        string conduitId;
        var shardReady = true;
        try
        {
            conduitId = await conduits.EnsureAsync(cancellationToken);
        }
        catch (ConduitSetupException e)
        {
            // Subscriptions attach to the conduit even while its shard is not enabled, so reconcile anyway.
            logger.LogWarning("EventSub shard not enabled yet: {Reason}", e.Message);
            conduitId = e.ConduitId;
            shardReady = false;
        }

        metrics.ShardChecks.Add(1, new KeyValuePair<string, object?>("result", shardReady ? "enabled" : "not_enabled"));

        var report = await reconciler.ReconcileAsync(conduitId, cancellationToken);
        return shardReady && report.Failed == 0;
    }

    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(failures, 10))));
}

using System.Collections.Concurrent;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Twitch.Webhook;
using StackExchange.Redis;

namespace ChatPulse.Api.Votes;

/// <summary>
/// Sends <see cref="VoteBuffer"/>'s votes to Redis once it answers again, through the same one-round-trip script,
/// each with its own cast time and in the order it came (one call in flight per broadcaster). Every
/// <see cref="Interval"/> it drops votes past <see cref="VoteBuffer.MaxAge"/> and starts a drain for each
/// broadcaster with votes due. A vote Redis fails again simply waits for the next try; on shutdown what Redis
/// cannot take is dropped (reason <c>shutdown</c>).
/// </summary>
public sealed partial class VoteReplay(IConnectionMultiplexer redis, VoteBuffer buffer, VoteWindow window, VoteProcessor processor,
    ChatPulseMetrics metrics, TimeProvider time, ILogger<VoteReplay> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<long, Task> _drains = new();
    private int _lost; // 1 once the command connection failed or a tick found Redis away; the next connected tick settles

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                buffer.DropTooOld();
                StartDrains();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down: StopAsync flushes what it can
        }
        finally
        {
            redis.ConnectionFailed -= OnConnectionFailed;
            redis.ConnectionRestored -= OnConnectionRestored;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Votes held for overlays to re-register are due now: the replica will not be here to retry them.
            buffer.MakeAllDue();
            while (buffer.Count > 0 && window.IsConnected && (StartDrains() > 0 || !_drains.IsEmpty))
            {
                await Task.WhenAll(_drains.Values).WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // out of shutdown time
        }

        if (buffer.DropAll() is var lost and > 0)
        {
            LogLostOnShutdown(logger, lost);
        }
    }

    // Even an outage no tick saw (shorter than Interval) makes the next connected tick start the settle. The
    // subscription connection carries no votes or presence.
    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription)
        {
            Volatile.Write(ref _lost, 1);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        buffer.RedisReturned();
        LogRedisReturned(logger, buffer.Count);
    }

    private int StartDrains()
    {
        if (!window.IsConnected)
        {
            Volatile.Write(ref _lost, 1);
            return 0;
        }

        if (Interlocked.Exchange(ref _lost, 0) == 1)
        {
            // Back, perhaps before ConnectionRestored is raised: without the settle a drain now would find the
            // overlays' presence not yet re-registered in a restarted Redis and drop its votes as no_viewers.
            buffer.RedisReturned();
        }

        var started = 0;
        foreach (var (broadcasterId, drain) in buffer.StartDrains())
        {
            _drains[drain] = DrainAsync(broadcasterId, drain);
            started++;
        }

        return started;
    }

    private async Task DrainAsync(string broadcasterId, long drain)
    {
        await Task.Yield(); // off the timer's loop
        try
        {
            while (buffer.TakeDue(broadcasterId, drain, VoteBatcher.MaxBatch) is { Count: > 0 } batch && await ReplayAsync(broadcasterId, drain, batch))
            {
            }
        }
        finally
        {
            _drains.TryRemove(drain, out _);
        }
    }

    // One batch: true when Redis answered every vote (the drain goes on), false when it failed (the drain stops).
    private async Task<bool> ReplayAsync(string broadcasterId, long drain, List<BufferedVote> batch)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var casts = batch.Select(v => window.CastAsync(v.BroadcasterId, v.ChatMessageId, v.ChatterId, v.Side, v.MemorySeconds,
            nowMs, ReplayWindow.SeenTtl(v.SentAt, now), v.CastAtMs, v.Poll)).ToList();
        var retry = new List<BufferedVote>();
        var failed = false;
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                var outcome = (await casts[i]).Outcome;
                if (outcome == VoteOutcome.NoViewers && buffer.PresenceSettling)
                {
                    retry.Add(batch[i]); // its overlay may not have re-registered yet
                    continue;
                }

                if (outcome == VoteOutcome.Applied)
                {
                    processor.Counted(batch[i]); // in the timeline's interval it was replayed in
                }

                Record(outcome);
            }
            catch (Exception e)
            {
                // Any failure, not only Redis's: a drain that ended without Finish would hold its votes forever
                // (too_old skips votes in a drain); retried, a vote that keeps failing leaves as too_old.
                failed = true;
                retry.Add(batch[i]);
                LogReplayFailed(logger, e, broadcasterId);
            }
        }

        buffer.Finish(broadcasterId, drain, retry, nowMs + (long)Interval.TotalMilliseconds, endDrain: failed || retry.Count > 0);
        return !failed && retry.Count == 0;
    }

    private void Record(VoteOutcome outcome)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome.Tag());
        metrics.VotesReplayed.Add(1, tag);
        metrics.VotesProcessed.Add(1, tag);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is back; {Votes} buffered votes to replay")]
    private static partial void LogRedisReturned(ILogger logger, int votes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Replaying buffered votes for {BroadcasterId} failed; retrying")]
    private static partial void LogReplayFailed(ILogger logger, Exception exception, string broadcasterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Votes} buffered votes were lost: the replica stopped while Redis could not take them")]
    private static partial void LogLostOnShutdown(ILogger logger, int votes);
}

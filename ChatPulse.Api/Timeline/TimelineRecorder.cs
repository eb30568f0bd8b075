using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Api.Timeline;

/// <summary>
/// Keeps the mood timeline: at each interval boundary (Unix time divisible by TIMELINE_INTERVAL, the same on every
/// replica) every replica flushes its <see cref="TimelineActivity"/> into the interval's Redis hash in one pipelined
/// batch; one interval later, once every replica has flushed, the one replica that claims the interval
/// (<see cref="RedisKeys.TimelineWriter"/>, SET NX) writes all its channels' points in one Postgres statement.
/// Redis or Postgres failing skips the points of that interval; the loop goes on.
/// </summary>
public sealed partial class TimelineRecorder(IConnectionMultiplexer redis, TimelineActivity activity, VoteWindow window,
    ChannelDirectory directory, TimelineStore store, ReplicaIdentity replica, IOptions<TimelineOptions> options,
    TimeProvider time, ILogger<TimelineRecorder> logger) : BackgroundService
{
    private readonly TimeSpan _interval = options.Value.IntervalValue;

    // An interval's keys outlive its write by a few intervals, then go by themselves.
    private TimeSpan KeyLifetime => _interval * 6;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var intervalMs = (long)_interval.TotalMilliseconds;
        var boundary = NextBoundary(intervalMs);
        try
        {
            while (true)
            {
                var wait = boundary - time.GetUtcNow().ToUnixTimeMilliseconds();
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, wait)), time, stoppingToken);
                await StepAsync(boundary, intervalMs, stoppingToken);
                boundary = Math.Max(boundary + intervalMs, NextBoundary(intervalMs) - intervalMs); // a late wake skips, never repeats
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the interval in flight goes to Redis now, so another replica writes it (a rolling update loses nothing).
            await GuardAsync(() => FlushAsync(boundary, CancellationToken.None));
        }
    }

    private long NextBoundary(long intervalMs) => (time.GetUtcNow().ToUnixTimeMilliseconds() / intervalMs + 1) * intervalMs;

    private async Task StepAsync(long boundary, long intervalMs, CancellationToken cancellationToken)
    {
        await GuardAsync(() => FlushAsync(boundary, cancellationToken));
        await GuardAsync(() => WriteAsync(boundary - intervalMs, cancellationToken));
    }

    /// <summary>This replica's counts into the interval ending at <paramref name="endMs"/>: window reads, then one batch.</summary>
    internal async Task<int> FlushAsync(long endMs, CancellationToken cancellationToken)
    {
        var counts = activity.Drain();
        if (counts.Count == 0)
        {
            return 0;
        }

        var windows = await Task.WhenAll(counts.Keys.Select(async broadcasterId =>
        {
            var channel = await directory.GetAsync(broadcasterId, cancellationToken);
            return await window.ReadAsync(broadcasterId, channel?.Configuration.MemorySeconds, endMs); // pipelined
        }));

        var key = RedisKeys.TimelineInterval(endMs);
        var batch = redis.GetDatabase().CreateBatch();
        var writes = new List<Task>(windows.Length * 2 + 1);
        foreach (var snapshot in windows)
        {
            var id = snapshot.BroadcasterId;
            writes.Add(batch.HashIncrementAsync(key, $"v:{id}", counts[id]));
            writes.Add(batch.HashSetAsync(key, [new($"f:{id}", snapshot.For), new($"a:{id}", snapshot.Against)]));
        }

        writes.Add(batch.KeyExpireAsync(key, KeyLifetime));
        batch.Execute();
        await Task.WhenAll(writes);
        return counts.Count;
    }

    /// <summary>The points of the interval ending at <paramref name="endMs"/>, when this replica claims it; -1 when another did.</summary>
    internal async Task<int> WriteAsync(long endMs, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        if (!await db.StringSetAsync(RedisKeys.TimelineWriter(endMs), replica.Id, KeyLifetime, When.NotExists))
        {
            return -1;
        }

        var fields = (await db.HashGetAllAsync(RedisKeys.TimelineInterval(endMs))).ToDictionary(e => e.Name.ToString(), e => (long)e.Value);
        var points = fields.Where(f => f.Key.StartsWith("v:", StringComparison.Ordinal))
            .Select(f => f.Key[2..])
            .Select(id => new IntervalPoint(id, fields.GetValueOrDefault($"f:{id}"), fields.GetValueOrDefault($"a:{id}"), (int)fields[$"v:{id}"]))
            .ToList();
        if (points.Count == 0)
        {
            return 0;
        }

        return await store.InsertAsync(DateTimeOffset.FromUnixTimeMilliseconds(endMs), _interval, points, cancellationToken);
    }

    private async Task GuardAsync(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e) when (e is RedisException or TimeoutException or NpgsqlException)
        {
            LogStepFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mood timeline: this interval's points were skipped (Redis or Postgres failed)")]
    private static partial void LogStepFailed(ILogger logger, Exception exception);
}

using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.Settings;
using Npgsql;

namespace ChatPulse.Api.Timeline;

/// <summary>
/// Deletes points older than TIMELINE_RETENTION_DAYS: once the migrations are done, then every
/// <see cref="Period"/>, in batches of <see cref="BatchSize"/> rows so no statement holds locks for long. Every
/// replica sweeps; a sweep that finds nothing old costs one index probe.
/// </summary>
public sealed partial class TimelineRetention(TimelineStore store, MigrationState migrations, IOptions<TimelineOptions> options,
    TimeProvider time, ILogger<TimelineRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    public const int BatchSize = 5_000;

    // At most this many batches per sweep (5 million rows); the next sweep goes on where this one stopped.
    private const int MaxBatches = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await migrations.Completed.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(Period, time);
            do
            {
                try
                {
                    var deleted = await SweepAsync(stoppingToken);
                    if (deleted > 0)
                    {
                        LogSwept(logger, deleted);
                    }
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    LogSweepFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>One sweep: the number of points deleted.</summary>
    internal async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Value.Retention;
        var total = 0;
        for (var i = 0; i < MaxBatches; i++)
        {
            var deleted = await store.DeleteOlderAsync(before, BatchSize, cancellationToken);
            total += deleted;
            if (deleted < BatchSize)
            {
                break;
            }
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mood timeline: deleted {Deleted} points past the retention")]
    private static partial void LogSwept(ILogger logger, int deleted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mood timeline: the retention sweep failed; next try in an hour")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

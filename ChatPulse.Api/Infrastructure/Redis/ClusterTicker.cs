using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Api.Infrastructure.Redis;

/// <summary>
/// A once-a-second job that one replica of the cluster runs at a time (the vote and poll tickers): every replica
/// tries each tick to hold the job's <see cref="ClusterLease"/>, and only the holder does the work. A step that fails
/// because Redis or Postgres did not answer is logged and tried again next tick; stopping hands the lease over at once.
/// </summary>
public abstract partial class ClusterTicker(IConnectionMultiplexer redis, RedisKey leaseKey, ReplicaIdentity replica,
    TimeProvider time, ILogger logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly ClusterLease _lease = new(redis, leaseKey, replica.Id);

    protected IConnectionMultiplexer Redis => redis;

    protected TimeProvider Time => time;

    /// <summary>One tick: the number of items the work looked at, or -1 when another replica holds the lease.</summary>
    internal async Task<int> TickOnceAsync(CancellationToken cancellationToken) =>
        await _lease.HoldAsync() ? await WorkAsync(cancellationToken) : -1;

    /// <summary>The lease holder's work for one tick; the number of items it looked at.</summary>
    protected abstract Task<int> WorkAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await TickOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is RedisException or TimeoutException or NpgsqlException)
                {
                    LogTickFailed(logger, e, GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await _lease.ReleaseAsync(); // hand over at once instead of after the lease lapses
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogTickFailed(logger, e, GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Ticker} step failed; retrying next second")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, string ticker);
}

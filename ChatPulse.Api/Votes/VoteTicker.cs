using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Api.Votes;

/// <summary>
/// Re-publishes snapshots while votes expire, so an overlay drifts back to the middle when chat goes quiet.
/// One ticker for the whole cluster: every replica tries each second to hold a short Redis lease
/// (<see cref="RedisKeys.VoteTickerLeader"/>); only the holder ticks the broadcasters in
/// <see cref="RedisKeys.VotesExpiring"/> (<see cref="ClusterLease"/>).
/// </summary>
public sealed partial class VoteTicker(IConnectionMultiplexer redis, VoteWindow window, ChannelDirectory directory,
    ReplicaIdentity replica, TimeProvider time, ILogger<VoteTicker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly ClusterLease _lease = new(redis, RedisKeys.VoteTickerLeader, replica.Id);

    // A broadcaster stays on the list this long past its last vote's expiry, so the final tick publishes the empty window.
    private const long GraceMs = 2000;

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
                    LogTickFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>One tick: the number of broadcasters ticked, or -1 when another replica holds the lease.</summary>
    internal async Task<int> TickOnceAsync(CancellationToken cancellationToken)
    {
        if (!await _lease.HoldAsync())
        {
            return -1;
        }

        var db = redis.GetDatabase();

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var due = await db.SortedSetRangeByScoreAsync(RedisKeys.VotesExpiring, now - GraceMs, double.PositiveInfinity);
        var ticks = new List<Task>(due.Length);
        foreach (var member in due)
        {
            var broadcasterId = member.ToString();
            var channel = await directory.GetAsync(broadcasterId, cancellationToken);
            if (channel?.Configuration.MemorySeconds is { } memory)
            {
                ticks.Add(window.TickAsync(broadcasterId, memory, now)); // pipelined
            }
        }

        await Task.WhenAll(ticks);
        await db.SortedSetRemoveRangeByScoreAsync(RedisKeys.VotesExpiring, double.NegativeInfinity, now - GraceMs, Exclude.Stop);
        return due.Length;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Hand over at once instead of after the lease lapses.
            await _lease.ReleaseAsync();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogTickFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vote ticker step failed; retrying next second")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}

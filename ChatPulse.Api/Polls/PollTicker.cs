using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Api.Polls;

/// <summary>
/// Ends the cluster's polls once: every replica tries each second to hold a short Redis lease
/// (<see cref="RedisKeys.PollTickerLeader"/>, as <see cref="VoteTicker"/> does); only the holder ends the polls on
/// <see cref="RedisKeys.PollsDue"/> whose countdown ran out <see cref="Grace"/> ago, and completes ends whose Postgres
/// write failed (they stay on the list until it succeeds); it keeps the running polls' views at their live counts. All state is in Redis and Postgres: a replica restart changes nothing.
/// </summary>
public sealed partial class PollTicker(IConnectionMultiplexer redis, PollState state, PollStore store, PollActions actions,
    ChannelDirectory directory, ReplicaIdentity replica, TimeProvider time, ILogger<PollTicker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Votes cast before the end but still on their way (<see cref="VoteProcessor.RedisBudget"/>) land before it is decided.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

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

    /// <summary>One tick: the number of polls it looked at, or -1 when another replica holds the lease.</summary>
    internal async Task<int> TickOnceAsync(CancellationToken cancellationToken)
    {
        var held = await redis.GetDatabase().ScriptEvaluateAsync(VoteTicker.HoldScript, [RedisKeys.PollTickerLeader],
            [replica.Id, (long)VoteTicker.Lease.TotalMilliseconds]);
        if ((long)held != 1)
        {
            return -1;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var due = await state.DueAsync(now - (long)Grace.TotalMilliseconds);
        foreach (var broadcasterId in due)
        {
            await EndOneAsync(broadcasterId, now, cancellationToken);
        }

        // The running polls' views follow their counts once a second (pipelined).
        var running = await state.NotDueAsync(now - (long)Grace.TotalMilliseconds);
        await Task.WhenAll(running.Select(state.RefreshViewAsync));
        return due.Length + running.Length;
    }

    private async Task EndOneAsync(string broadcasterId, long now, CancellationToken cancellationToken)
    {
        var channel = await directory.GetAsync(broadcasterId, cancellationToken);
        if (channel is null || await store.GetRunningAsync(channel.Streamer.Id, cancellationToken) is not { } running)
        {
            await state.RemoveDueAsync(broadcasterId); // its end is complete
            return;
        }

        if (running.StartedAt.ToUnixTimeMilliseconds() > now - (long)PollActions.OrphanAge.TotalMilliseconds
            && await state.ReadAsync(broadcasterId) is null)
        {
            return; // a start still writing its Redis state
        }

        await state.EndAsync(broadcasterId, running.Id, PollRecord.Ended, now);
        await actions.CompleteAsync(broadcasterId, running, "timer", cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(VoteTicker.ReleaseScript, [RedisKeys.PollTickerLeader], [replica.Id]);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogTickFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poll ticker step failed; retrying next second")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}

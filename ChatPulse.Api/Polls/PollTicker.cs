using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using StackExchange.Redis;

namespace ChatPulse.Api.Polls;

/// <summary>
/// Ends the cluster's polls once (<see cref="ClusterTicker"/>, lease <see cref="RedisKeys.PollTickerLeader"/>): the lease
/// holder ends the polls on <see cref="RedisKeys.PollsDue"/> whose countdown ran out <see cref="Grace"/> ago, completes
/// ends Redis decided whose Postgres write failed (they stay on the list until it succeeds), clears the Redis state of
/// a start whose row is gone, and keeps the running polls' views at their live counts. All state is in Redis and
/// Postgres: a replica restart changes nothing.
/// </summary>
public sealed class PollTicker(IConnectionMultiplexer redis, PollState state, PollStore store, PollActions actions,
    ChannelDirectory directory, ReplicaIdentity replica, TimeProvider time, ILogger<PollTicker> logger)
    : ClusterTicker(redis, RedisKeys.PollTickerLeader, replica, time, logger)
{
    /// <summary>Votes cast before the end but still on their way (<see cref="VoteProcessor.RedisBudget"/>) land before it is decided.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    /// <summary>One tick's work: the number of polls it looked at.</summary>
    protected override async Task<int> WorkAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var due = await state.DueAsync(now - (long)Grace.TotalMilliseconds);
        foreach (var entry in due)
        {
            await EndOneAsync(entry, now, cancellationToken);
        }

        // The running polls' views follow their counts once a second (pipelined).
        var running = await state.NotDueAsync(now - (long)Grace.TotalMilliseconds);
        await Task.WhenAll(running.Select(r => r.BroadcasterId).Distinct().Select(state.RefreshViewAsync));
        return due.Length + running.Length;
    }

    private async Task EndOneAsync(PollDue due, long now, CancellationToken cancellationToken)
    {
        var bid = due.BroadcasterId;
        if (await directory.GetAsync(bid, cancellationToken) is not { } channel)
        {
            await state.RemoveDueAsync(bid, due.PollId);
            return;
        }

        if (await store.GetAsync(channel.Streamer.Id, due.PollId, cancellationToken) is not { } poll)
        {
            // A start whose row was removed after its Redis script ran: its state must not say running, nor its view
            // stay (2: an earlier tick cancelled it and failed before the dismiss).
            if (await state.EndAsync(bid, due.PollId, PollRecord.Cancelled, now) is 1 or 2)
            {
                await state.DismissAsync(bid);
            }

            await state.RemoveDueAsync(bid, due.PollId);
            return;
        }

        if (poll.Status != PollRecord.Running)
        {
            await state.RemoveDueAsync(bid, due.PollId); // its end is complete
            return;
        }

        if (poll.StartedAt.ToUnixTimeMilliseconds() > now - (long)PollActions.OrphanAge.TotalMilliseconds
            && await state.ReadAsync(bid) is null)
        {
            return; // a start still writing its Redis state
        }

        // Only the countdown ends a poll here; an entry due for another reason completes only what Redis decided.
        var timeUp = poll.EndsAt is { } endsAt && endsAt.ToUnixTimeMilliseconds() <= now - (long)Grace.TotalMilliseconds;
        if (timeUp)
        {
            await state.EndAsync(bid, poll.Id, PollRecord.Ended, now);
        }

        if (await actions.CompleteAsync(bid, poll, timeUp ? "timer" : "streamer", cancellationToken) is null)
        {
            await state.MarkDueAsync(bid, poll.Id, poll.EndsAt?.ToUnixTimeMilliseconds()); // still running: back to its countdown
        }
    }
}

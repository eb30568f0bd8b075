using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch.Webhook;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Api.Votes;

/// <summary>One chat message as vote processing needs it.</summary>
/// <param name="ChatMessageId">The de-duplication id: the shared-chat source message id when present, else the message id.</param>
/// <param name="SentAt">The EventSub message timestamp (signed), which bounds how long a replay stays possible.</param>
public readonly record struct ChatVote(string BroadcasterId, string ChatterId, string ChatMessageId, string Text, DateTimeOffset SentAt);

/// <summary>
/// Turns a chat message into a vote: the channel's triggers (cached), matching, then one Redis script for
/// presence, de-duplication, debounce, count and the new snapshot. Records the outcome and duration metrics.
/// Redis gets at most <see cref="RedisBudget"/>: a vote it does not take by then waits in <see cref="VoteBuffer"/>
/// (outcome <c>buffered</c>) and <see cref="VoteReplay"/> records its real outcome later.
/// </summary>
public sealed partial class VoteProcessor(ChannelDirectory directory, VoteWindow window, ExpiringVotes expiring, VoteBuffer buffer,
    ChatPulseMetrics metrics, TimeProvider time, ILogger<VoteProcessor> logger)
{
    /// <summary>
    /// The longest a delivery waits for Redis (the script's p99 is a few ms): with the rest of the request's work
    /// the webhook answers within 1 s whatever Redis does, well inside the few seconds Twitch allows.
    /// </summary>
    public static readonly TimeSpan RedisBudget = TimeSpan.FromMilliseconds(500);

    public async Task<VoteOutcome> ProcessAsync(ChatVote vote, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var outcome = VoteOutcome.Error;
        try
        {
            outcome = await ProcessCoreAsync(vote, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or NpgsqlException)
        {
            LogVoteFailed(logger, e, vote.BroadcasterId);
        }
        finally
        {
            metrics.VotesProcessed.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Tag()));
            metrics.VoteDuration.Record(time.GetElapsedTime(started).TotalSeconds);
        }

        return outcome;
    }

    /// <summary>
    /// What an answer from the script means here: an applied vote joins the ticker's list; "no viewers" while
    /// overlays re-register after Redis returned (<see cref="VoteBuffer.PresenceSettling"/>) waits in the buffer.
    /// </summary>
    internal VoteOutcome Settle(BufferedVote vote, VoteOutcome outcome)
    {
        if (outcome == VoteOutcome.NoViewers && buffer.PresenceSettling)
        {
            return buffer.Add(vote);
        }

        if (outcome == VoteOutcome.Applied)
        {
            expiring.Applied(vote.BroadcasterId, vote.CastAtMs, vote.MemorySeconds);
        }

        return outcome;
    }

    private async Task<VoteOutcome> ProcessCoreAsync(ChatVote vote, CancellationToken cancellationToken)
    {
        var channel = await directory.GetAsync(vote.BroadcasterId, cancellationToken);
        if (channel is null)
        {
            return VoteOutcome.NoMatch; // not a ChatPulse streamer (e.g. a subscription left over)
        }

        var side = VoteMatcher.Match(vote.Text, channel.Configuration);
        if (side == VoteSide.None)
        {
            return VoteOutcome.NoMatch;
        }

        var now = time.GetUtcNow();
        var memory = channel.Configuration.MemorySeconds;
        var kept = new BufferedVote(vote.BroadcasterId, vote.ChatMessageId, vote.ChatterId, side, memory, now.ToUnixTimeMilliseconds(), vote.SentAt);
        if (!window.IsConnected)
        {
            return buffer.Add(kept);
        }

        if (buffer.AddIfWaiting(kept) is { } queued)
        {
            return queued; // behind this broadcaster's buffered votes, so a chatter's votes reach Redis in order
        }

        var attempt = window.CastAsync(vote.BroadcasterId, vote.ChatMessageId, vote.ChatterId, side, memory,
            kept.CastAtMs, ReplayWindow.SeenTtl(vote.SentAt, now));
        try
        {
            // Not the request's token: a vote whose delivery was abandoned still counts (a redelivery is a duplicate).
            return Settle(kept, (await attempt.WaitAsync(RedisBudget, time, CancellationToken.None)).Outcome);
        }
        catch (TimeoutException e) when (e is not RedisTimeoutException)
        {
            // The budget ran out (the call may just have finished): the late answer, or the buffer, settles it.
            _ = FinishLateAsync(kept, attempt);
            return VoteOutcome.Buffered;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogVoteBuffered(logger, e, vote.BroadcasterId);
            return buffer.Add(kept);
        }
    }

    // The call outlived the budget: its answer is the vote's outcome, or, when it failed, the buffer takes the vote.
    private async Task FinishLateAsync(BufferedVote vote, Task<VoteCast> attempt)
    {
        VoteOutcome outcome;
        try
        {
            outcome = Settle(vote, (await attempt).Outcome);
        }
        catch (Exception)
        {
            // Whatever failed, the delivery was answered "buffered": the buffer keeps the vote (bounded by MaxAge).
            outcome = buffer.Add(vote);
        }

        if (outcome != VoteOutcome.Buffered)
        {
            metrics.VotesProcessed.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Tag()));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A vote for {BroadcasterId} waits in the buffer: Redis failed")]
    private static partial void LogVoteBuffered(ILogger logger, Exception exception, string broadcasterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A vote for {BroadcasterId} was lost: Redis or Postgres failed")]
    private static partial void LogVoteFailed(ILogger logger, Exception exception, string broadcasterId);
}

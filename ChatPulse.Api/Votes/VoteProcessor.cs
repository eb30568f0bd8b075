using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Timeline;
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
    ChatPulseMetrics metrics, TimeProvider time, ILogger<VoteProcessor> logger, TimelineActivity timeline)
{
    /// <summary>
    /// The longest a delivery waits for Redis (the script's p99 is a few ms): with the rest of the request's work
    /// the webhook answers within 1 s whatever Redis does, well inside the few seconds Twitch allows.
    /// </summary>
    public static readonly TimeSpan RedisBudget = TimeSpan.FromMilliseconds(500);

    public Task<VoteOutcome> ProcessAsync(ChatVote vote, CancellationToken cancellationToken) =>
        ProcessAsync(vote, VoteSide.None, cancellationToken);

    /// <summary>
    /// A test vote from the dashboard (<c>Dashboard/TestVotes.cs</c>): chat's path for the <paramref name="side"/> it
    /// names instead of a matched text, counted in <c>chatpulse.votes.processed</c> with <c>source=test</c>.
    /// </summary>
    public Task<VoteOutcome> ProcessTestAsync(ChatVote vote, VoteSide side, CancellationToken cancellationToken) =>
        side == VoteSide.None ? throw new ArgumentOutOfRangeException(nameof(side)) : ProcessAsync(vote, side, cancellationToken);

    // The source tag of chatpulse.votes.processed: "chat" (matched from text) or "test" (a side given).
    private static KeyValuePair<string, object?> SourceTag(VoteSide given) => new("source", given == VoteSide.None ? "chat" : "test");

    private async Task<VoteOutcome> ProcessAsync(ChatVote vote, VoteSide given, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var outcome = VoteOutcome.Error;
        try
        {
            outcome = await ProcessCoreAsync(vote, given, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or NpgsqlException)
        {
            LogVoteFailed(logger, e, vote.BroadcasterId);
        }
        finally
        {
            metrics.VotesProcessed.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Tag()), SourceTag(given));
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
            Counted(vote);
        }

        return outcome;
    }

    /// <summary>
    /// What follows a vote the script applied, live or replayed (<see cref="VoteReplay"/>): a mood vote joins the
    /// ticker's list and the mood timeline's count of its interval; a poll vote is the poll's alone.
    /// </summary>
    internal void Counted(BufferedVote vote)
    {
        if (vote.Poll is null)
        {
            expiring.Applied(vote.BroadcasterId, vote.CastAtMs, vote.MemorySeconds);
            timeline.Applied(vote);
        }
    }

    private async Task<VoteOutcome> ProcessCoreAsync(ChatVote vote, VoteSide given, CancellationToken cancellationToken)
    {
        var channel = await directory.GetAsync(vote.BroadcasterId, cancellationToken);
        if (channel is null)
        {
            return VoteOutcome.NoMatch; // not a ChatPulse streamer (e.g. a subscription left over)
        }

        // A whole-message poll trigger is a poll vote, never a mood vote (Polls/, docs/polls.md).
        PollVote? poll = given == VoteSide.None && channel.Poll?.OptionOf(vote.Text) is > 0 and var option ? new PollVote(channel.Poll.Id, option) : null;
        var side = given != VoteSide.None ? given : poll is null ? VoteMatcher.Match(vote.Text, channel.Configuration) : VoteSide.None;
        if (side == VoteSide.None && poll is null)
        {
            return VoteOutcome.NoMatch;
        }

        var now = time.GetUtcNow();
        var memory = channel.Configuration.MemorySeconds;
        var kept = new BufferedVote(vote.BroadcasterId, vote.ChatMessageId, vote.ChatterId, side, memory, now.ToUnixTimeMilliseconds(), vote.SentAt, poll);
        if (!window.IsConnected)
        {
            return buffer.Add(kept);
        }

        if (buffer.AddIfWaiting(kept) is { } queued)
        {
            return queued; // behind this broadcaster's buffered votes, so a chatter's votes reach Redis in order
        }

        var attempt = window.CastAsync(vote.BroadcasterId, vote.ChatMessageId, vote.ChatterId, side, memory,
            kept.CastAtMs, ReplayWindow.SeenTtl(vote.SentAt, now), poll: poll);
        try
        {
            // Not the request's token: a vote whose delivery was abandoned still counts (a redelivery is a duplicate).
            return Settle(kept, (await attempt.WaitAsync(RedisBudget, time, CancellationToken.None)).Outcome);
        }
        catch (TimeoutException e) when (e is not RedisTimeoutException)
        {
            // The budget ran out (the call may just have finished): the late answer, or the buffer, settles it.
            _ = FinishLateAsync(kept, attempt, SourceTag(given));
            return VoteOutcome.Buffered;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogVoteBuffered(logger, e, vote.BroadcasterId);
            return buffer.Add(kept);
        }
    }

    // The call outlived the budget: its answer is the vote's outcome, or, when it failed, the buffer takes the vote.
    private async Task FinishLateAsync(BufferedVote vote, Task<VoteCast> attempt, KeyValuePair<string, object?> source)
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
            metrics.VotesProcessed.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Tag()), source);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A vote for {BroadcasterId} waits in the buffer: Redis failed")]
    private static partial void LogVoteBuffered(ILogger logger, Exception exception, string broadcasterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A vote for {BroadcasterId} was lost: Redis or Postgres failed")]
    private static partial void LogVoteFailed(ILogger logger, Exception exception, string broadcasterId);
}

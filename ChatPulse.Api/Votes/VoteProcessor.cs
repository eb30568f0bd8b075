using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Streamers;
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
/// </summary>
public sealed partial class VoteProcessor(ChannelDirectory directory, VoteWindow window, ExpiringVotes expiring,
    ChatPulseMetrics metrics, TimeProvider time, ILogger<VoteProcessor> logger)
{
    /// <summary>Twitch's replay rule: a message more than this far from now (either way) is rejected.</summary>
    public static readonly TimeSpan ReplayTolerance = TimeSpan.FromMinutes(10);

    /// <summary>Minimum time a counted message stays "seen".</summary>
    public static readonly TimeSpan MinimumSeenTtl = TimeSpan.FromMinutes(10);

    // Twitch wants an answer within seconds; a stuck Redis must not hold the webhook longer than this.
    private static readonly TimeSpan RedisBudget = TimeSpan.FromSeconds(2);

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
        var cast = await window.CastAsync(vote.BroadcasterId, vote.ChatMessageId, vote.ChatterId, side, memory,
            now.ToUnixTimeMilliseconds(), SeenTtl(vote.SentAt, now)).WaitAsync(RedisBudget, cancellationToken);

        if (cast.Outcome == VoteOutcome.Applied && memory is { } seconds)
        {
            // The ticker re-publishes while this vote expires: its bucket leaves the window after `seconds`.
            var second = now.ToUnixTimeMilliseconds() / 1000;
            expiring.Register(vote.BroadcasterId, (second + seconds + 1) * 1000);
        }

        return cast.Outcome;
    }

    /// <summary>
    /// A message is accepted while its timestamp is within <see cref="ReplayTolerance"/> of now, so it must stay
    /// "seen" until then (plus a minute of clock skew between replicas), and never less than 10 minutes.
    /// </summary>
    public static TimeSpan SeenTtl(DateTimeOffset sentAt, DateTimeOffset now)
    {
        var untilReplayImpossible = sentAt + ReplayTolerance + TimeSpan.FromMinutes(1) - now;
        return untilReplayImpossible > MinimumSeenTtl ? untilReplayImpossible : MinimumSeenTtl;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A vote for {BroadcasterId} was lost: Redis or Postgres failed")]
    private static partial void LogVoteFailed(ILogger logger, Exception exception, string broadcasterId);
}

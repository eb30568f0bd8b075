using ChatPulse.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace ChatPulse.Api.Votes;

/// <summary>The KEYS and ARGV of one <see cref="VoteScripts.Cast"/> call: one group per broadcaster, its votes in arrival order.</summary>
internal static class CastArguments
{
    /// <summary>A group's keys before its messages': presence, window, poll, poll voters.</summary>
    public const int GroupKeys = 4;

    /// <summary>A group's arguments before its messages'.</summary>
    public const int GroupValues = 7;

    /// <summary>Each message's arguments: cast time, side, seen TTL, chatter id.</summary>
    public const int MessageValues = 4;

    /// <summary>The side argument of a poll vote for another poll than its group's: the script answers poll_closed.</summary>
    public const string OtherPoll = "x";

    public static (RedisKey[] Keys, RedisValue[] Values) Of(List<List<PendingVote>> groups)
    {
        var votes = groups.Sum(g => g.Count);
        var keys = new RedisKey[(GroupKeys * groups.Count) + (2 * votes)];
        var values = new RedisValue[1 + (GroupValues * groups.Count) + (MessageValues * votes)];
        values[0] = groups.Count;
        int k = 0, a = 1;
        foreach (var group in groups)
        {
            var broadcasterId = group[0].BroadcasterId;
            // The first vote's settings speak for its broadcaster's group (they differ only across a save, milliseconds apart).
            var memory = group[0].MemorySeconds ?? 0;
            // The newest poll of the group (a batch straddles a poll's change only within milliseconds).
            var pollId = group.LastOrDefault(v => v.Poll is not null)?.Poll?.PollId.ToString() ?? "";
            keys[k++] = RedisKeys.Presence(broadcasterId);
            keys[k++] = RedisKeys.VoteWindow(broadcasterId);
            keys[k++] = RedisKeys.Poll(broadcasterId);
            keys[k++] = RedisKeys.PollVoters(broadcasterId, pollId);
            values[a++] = group.Count;
            values[a++] = memory;
            values[a++] = memory > 0 ? (memory + 10) * 1000L : (long)VoteWindow.InfiniteIdleLifetime.TotalMilliseconds;
            values[a++] = RedisKeys.SentimentChannel(broadcasterId);
            values[a++] = broadcasterId;
            values[a++] = group.Max(v => v.NowMs);
            values[a++] = pollId;
            foreach (var vote in group)
            {
                keys[k++] = RedisKeys.VoteSeen(broadcasterId, vote.ChatMessageId);
                keys[k++] = RedisKeys.VoteDebounce(broadcasterId, vote.ChatterId);
                values[a++] = vote.CastAtMs;
                values[a++] = Side(vote, pollId);
                values[a++] = (long)vote.SeenTtl.TotalMilliseconds;
                values[a++] = vote.ChatterId;
            }
        }

        return (keys, values);
    }

    // 'f' / 'a' for the mood, the option's number for a poll vote.
    private static RedisValue Side(PendingVote vote, string pollId) => vote.Poll switch
    {
        { } poll when poll.PollId.ToString() == pollId => poll.Option,
        not null => OtherPoll,
        null => vote.Side == VoteSide.For ? "f" : "a",
    };
}

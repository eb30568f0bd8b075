using ChatPulse.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace ChatPulse.Api.Votes;

/// <summary>The KEYS and ARGV of one <see cref="VoteScripts.Cast"/> call: one group per broadcaster, its votes in arrival order.</summary>
internal static class CastArguments
{
    public static (RedisKey[] Keys, RedisValue[] Values) Of(List<List<PendingVote>> groups)
    {
        var votes = groups.Sum(g => g.Count);
        var keys = new RedisKey[(2 * groups.Count) + (2 * votes)];
        var values = new RedisValue[1 + (6 * groups.Count) + (3 * votes)];
        values[0] = groups.Count;
        int k = 0, a = 1;
        foreach (var group in groups)
        {
            var broadcasterId = group[0].BroadcasterId;
            // The first vote's settings speak for its broadcaster's group (they differ only across a save, milliseconds apart).
            var memory = group[0].MemorySeconds ?? 0;
            keys[k++] = RedisKeys.Presence(broadcasterId);
            keys[k++] = RedisKeys.VoteWindow(broadcasterId);
            values[a++] = group.Count;
            values[a++] = memory;
            values[a++] = memory > 0 ? (memory + 10) * 1000L : (long)VoteWindow.InfiniteIdleLifetime.TotalMilliseconds;
            values[a++] = RedisKeys.SentimentChannel(broadcasterId);
            values[a++] = broadcasterId;
            values[a++] = group.Max(v => v.NowMs);
            foreach (var vote in group)
            {
                keys[k++] = RedisKeys.VoteSeen(broadcasterId, vote.ChatMessageId);
                keys[k++] = RedisKeys.VoteDebounce(broadcasterId, vote.ChatterId);
                values[a++] = vote.CastAtMs;
                values[a++] = vote.Side == VoteSide.For ? "f" : "a";
                values[a++] = (long)vote.SeenTtl.TotalMilliseconds;
            }
        }

        return (keys, values);
    }
}

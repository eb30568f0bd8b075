using ChatPulse.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace ChatPulse.Api.Votes;

/// <summary>A chat vote for option <paramref name="Option"/> (1-based) of the running poll <paramref name="PollId"/>.</summary>
public readonly record struct PollVote(Guid PollId, int Option);

/// <summary>
/// A broadcaster's sliding vote window in Redis (see <see cref="VoteScripts"/>). Each call is one script, one
/// round trip. <c>now</c> is passed in (Unix ms) so callers own the clock and tests can move it.
/// </summary>
public sealed class VoteWindow(IConnectionMultiplexer redis)
{
    /// <summary>An infinite window forgets its votes after this long without a vote, so abandoned channels free their keys.</summary>
    public static readonly TimeSpan InfiniteIdleLifetime = TimeSpan.FromDays(7);

    private readonly VoteBatcher _batcher = new(redis);

    /// <summary>
    /// Counts one vote unless nobody watches, the message was seen, or the chatter voted in the last second; one
    /// script call, shared with the broadcaster's other votes that arrive while a call is in flight.
    /// </summary>
    /// <param name="chatMessageId">Identifies the chat message for de-duplication (source message id for shared chat).</param>
    /// <param name="seenTtl">How long the message stays "seen"; covers Twitch's replay window.</param>
    /// <param name="castAtMs">When the vote was cast, if before <paramref name="nowMs"/> (a vote replayed from
    /// <see cref="VoteBuffer"/>): it is judged and counted at that time.</param>
    /// <param name="poll">A vote for a poll's option instead of a side (<paramref name="side"/> is then ignored).</param>
    public Task<VoteCast> CastAsync(string broadcasterId, string chatMessageId, string chatterId, VoteSide side,
        int? memorySeconds, long nowMs, TimeSpan seenTtl, long? castAtMs = null, PollVote? poll = null) =>
        _batcher.CastAsync(new PendingVote(broadcasterId, chatMessageId, chatterId, side, memorySeconds, nowMs, seenTtl, castAtMs ?? nowMs, poll));

    /// <summary>False while the client has no connection to Redis; a vote then goes to <see cref="VoteBuffer"/> at once.</summary>
    public bool IsConnected => redis.IsConnected;

    /// <summary>
    /// The ticker's step: expires what left the window and, when votes left, publishes the new snapshot.
    /// Null when nobody watches the broadcaster (no work done).
    /// </summary>
    public async Task<(long Removed, SentimentSnapshot Snapshot)?> TickAsync(string broadcasterId, int? memorySeconds, long nowMs)
    {
        var (removed, snapshot) = await RunTickAsync(broadcasterId, memorySeconds, nowMs, "tick");
        return removed < 0 ? null : (removed, snapshot);
    }

    /// <summary>The window as of <paramref name="nowMs"/> (expired votes dropped), without publishing.</summary>
    public async Task<SentimentSnapshot> ReadAsync(string broadcasterId, int? memorySeconds, long nowMs) =>
        (await RunTickAsync(broadcasterId, memorySeconds, nowMs, "read")).Snapshot;

    /// <summary>Empties the window; true when there was one (its empty snapshot was then published).</summary>
    public async Task<bool> ResetAsync(string broadcasterId, long nowMs)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(VoteScripts.Reset,
            [RedisKeys.VoteWindow(broadcasterId)],
            [nowMs, RedisKeys.SentimentChannel(broadcasterId), broadcasterId]);
        return (long)result == 1;
    }

    private async Task<(long Removed, SentimentSnapshot Snapshot)> RunTickAsync(string broadcasterId, int? memorySeconds, long nowMs, string mode)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(VoteScripts.Tick,
            [RedisKeys.Presence(broadcasterId), RedisKeys.VoteWindow(broadcasterId)],
            [nowMs, memorySeconds ?? 0, RedisKeys.SentimentChannel(broadcasterId), broadcasterId, mode]);
        var values = (RedisResult[])result!;
        return ((long)values[0], new SentimentSnapshot(broadcasterId, (long)values[1], (long)values[2], nowMs));
    }
}

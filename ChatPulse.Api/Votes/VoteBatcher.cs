using System.Collections.Concurrent;
using ChatPulse.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace ChatPulse.Api.Votes;

/// <summary>
/// Sends a broadcaster's votes to Redis one script call at a time: a vote that finds no call in flight goes at
/// once; votes that arrive meanwhile ride together in the next call. Each vote's work stays in one round trip,
/// an idle channel adds no delay, and a busy one pays the client's per-call cost once per batch, not per vote.
/// Calls only ever touch one broadcaster's keys (one cluster slot).
/// </summary>
internal sealed class VoteBatcher(IConnectionMultiplexer redis)
{
    /// <summary>The most messages one script call carries.</summary>
    public const int MaxBatch = 128;

    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);

    public Task<VoteCast> CastAsync(PendingVote vote)
    {
        var lane = _lanes.GetOrAdd(vote.BroadcasterId, static id => new Lane(id));
        List<PendingVote>? batch = null;
        lock (lane)
        {
            lane.Waiting.Add(vote);
            if (!lane.Busy)
            {
                lane.Busy = true;
                batch = lane.Take();
            }
        }

        if (batch is not null)
        {
            _ = SendAsync(lane, batch);
        }

        return vote.Completion.Task;
    }

    private async Task SendAsync(Lane lane, List<PendingVote> batch)
    {
        while (true)
        {
            try
            {
                // Never into the client's backlog: while disconnected it holds a call for its whole timeout (5 s),
                // and the votes are better off in VoteBuffer, which replays them in order once Redis is back.
                if (!redis.IsConnected)
                {
                    throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected");
                }

                var values = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(VoteScripts.Cast, Keys(lane.BroadcasterId, batch), Values(lane.BroadcasterId, batch)))!;
                long votesFor = (long)values[batch.Count], votesAgainst = (long)values[batch.Count + 1];
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(new VoteCast((VoteOutcome)(int)values[i], votesFor, votesAgainst));
                }
            }
            catch (Exception e)
            {
                foreach (var vote in batch)
                {
                    vote.Completion.TrySetException(e);
                }
            }

            lock (lane)
            {
                if (lane.Waiting.Count == 0)
                {
                    lane.Busy = false;
                    return;
                }

                batch = lane.Take();
            }
        }
    }

    private static RedisKey[] Keys(string broadcasterId, List<PendingVote> batch)
    {
        var keys = new RedisKey[2 + (2 * batch.Count)];
        keys[0] = RedisKeys.Presence(broadcasterId);
        keys[1] = RedisKeys.VoteWindow(broadcasterId);
        for (var i = 0; i < batch.Count; i++)
        {
            keys[2 + (2 * i)] = RedisKeys.VoteSeen(broadcasterId, batch[i].ChatMessageId);
            keys[3 + (2 * i)] = RedisKeys.VoteDebounce(broadcasterId, batch[i].ChatterId);
        }

        return keys;
    }

    private static RedisValue[] Values(string broadcasterId, List<PendingVote> batch)
    {
        // The first vote's settings speak for the batch (they differ only across a save, milliseconds apart).
        var memory = batch[0].MemorySeconds ?? 0;
        var windowTtl = memory > 0 ? (memory + 10) * 1000L : (long)VoteWindow.InfiniteIdleLifetime.TotalMilliseconds;
        var values = new RedisValue[5 + (3 * batch.Count)];
        values[0] = memory;
        values[1] = windowTtl;
        values[2] = RedisKeys.SentimentChannel(broadcasterId);
        values[3] = broadcasterId;
        values[4] = batch.Max(v => v.NowMs);
        for (var i = 0; i < batch.Count; i++)
        {
            values[5 + (3 * i)] = batch[i].CastAtMs;
            values[6 + (3 * i)] = batch[i].Side == VoteSide.For ? "f" : "a";
            values[7 + (3 * i)] = (long)batch[i].SeenTtl.TotalMilliseconds;
        }

        return values;
    }

    private sealed class Lane(string broadcasterId)
    {
        public string BroadcasterId { get; } = broadcasterId;
        public List<PendingVote> Waiting { get; } = [];
        public bool Busy { get; set; }

        public List<PendingVote> Take()
        {
            var count = Math.Min(Waiting.Count, MaxBatch);
            var batch = Waiting.GetRange(0, count);
            Waiting.RemoveRange(0, count);
            return batch;
        }
    }
}

/// <summary>One vote waiting for its script call: sent at <paramref name="nowMs"/>, cast at <paramref name="castAtMs"/> (earlier for a replay).</summary>
internal sealed class PendingVote(string broadcasterId, string chatMessageId, string chatterId, VoteSide side, int? memorySeconds, long nowMs, TimeSpan seenTtl, long castAtMs)
{
    public string BroadcasterId { get; } = broadcasterId;
    public string ChatMessageId { get; } = chatMessageId;
    public string ChatterId { get; } = chatterId;
    public VoteSide Side { get; } = side;
    public int? MemorySeconds { get; } = memorySeconds;
    public long NowMs { get; } = nowMs;
    public long CastAtMs { get; } = castAtMs;
    public TimeSpan SeenTtl { get; } = seenTtl;
    public TaskCompletionSource<VoteCast> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

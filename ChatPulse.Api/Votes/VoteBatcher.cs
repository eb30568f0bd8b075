using System.Collections.Concurrent;
using ChatPulse.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace ChatPulse.Api.Votes;

/// <summary>
/// Sends votes to Redis one script call per lane at a time: a vote that finds its lane idle goes at once; votes
/// that arrive meanwhile ride together in the lane's next call, whichever broadcasters they are for. Each vote's
/// work stays in one round trip, an idle lane adds no delay, and busy lanes pay the client's per-call cost once
/// per batch, not per vote or per broadcaster — so many channels at moderate traffic batch as well as one busy one.
/// A broadcaster always maps to one lane (its votes keep their order, one call at a time); on a cluster a lane is
/// a hash slot, so a call's keys share one slot (<see cref="RedisKeys"/>' hash tags).
/// </summary>
internal sealed class VoteBatcher(IConnectionMultiplexer redis)
{
    /// <summary>The most messages one script call carries.</summary>
    public const int MaxBatch = 128;

    /// <summary>Lanes on a single Redis server: a few calls in flight at once, each carrying many channels' votes.</summary>
    public const int StandaloneLanes = 4;

    private readonly ConcurrentDictionary<int, Lane> _lanes = new();
    private bool? _cluster;

    public Task<VoteCast> CastAsync(PendingVote vote)
    {
        var lane = _lanes.GetOrAdd(LaneOf(vote.BroadcasterId), static _ => new Lane());
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

    private int LaneOf(string broadcasterId)
    {
        var slot = redis.HashSlot(RedisKeys.VoteWindow(broadcasterId));
        // Decided on the first connected call; a vote before it fails over to VoteBuffer anyway.
        _cluster ??= redis.IsConnected ? redis.GetServers().Any(s => s.ServerType == ServerType.Cluster) : null;
        return _cluster == true ? slot : slot % StandaloneLanes;
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

                var groups = batch.GroupBy(v => v.BroadcasterId, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
                var (keys, values) = CastArguments.Of(groups);
                var results = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(VoteScripts.Cast, keys, values))!;
                var at = 0;
                foreach (var group in groups)
                {
                    long votesFor = (long)results[at + group.Count], votesAgainst = (long)results[at + group.Count + 1];
                    for (var i = 0; i < group.Count; i++)
                    {
                        group[i].Completion.TrySetResult(new VoteCast((VoteOutcome)(int)results[at + i], votesFor, votesAgainst));
                    }

                    at += group.Count + 2;
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

    private sealed class Lane
    {
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
internal sealed class PendingVote(string broadcasterId, string chatMessageId, string chatterId, VoteSide side, int? memorySeconds, long nowMs, TimeSpan seenTtl, long castAtMs,
    PollVote? poll = null)
{
    /// <summary>Set for a poll vote (then <see cref="Side"/> is none).</summary>
    public PollVote? Poll { get; } = poll;
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

using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Overlay;

namespace ChatPulse.Api.Votes;

/// <summary>A vote that could not reach Redis, as <see cref="VoteReplay"/> sends it later.</summary>
/// <param name="CastAtMs">When this replica received it (Unix ms): the time it is judged and counted at.</param>
/// <param name="SentAt">The EventSub timestamp, which sets how long the message stays "seen".</param>
/// <param name="Poll">Set for a poll vote (then <paramref name="side"/> is none).</param>
public sealed class BufferedVote(string broadcasterId, string chatMessageId, string chatterId, VoteSide side,
    int? memorySeconds, long castAtMs, DateTimeOffset sentAt, PollVote? poll = null)
{
    public PollVote? Poll { get; } = poll;

    public string BroadcasterId { get; } = broadcasterId;
    public string ChatMessageId { get; } = chatMessageId;
    public string ChatterId { get; } = chatterId;
    public VoteSide Side { get; } = side;
    public int? MemorySeconds { get; } = memorySeconds;
    public long CastAtMs { get; } = castAtMs;
    public DateTimeOffset SentAt { get; } = sentAt;

    /// <summary>Not replayed before this (Unix ms): set while overlays re-register after Redis returned.</summary>
    public long NotBeforeMs { get; set; }
}

/// <summary>
/// This replica's votes that Redis did not take, kept per broadcaster in the order they came until
/// <see cref="VoteReplay"/> sends them. Bounded: at most <see cref="Capacity"/> votes (one more is dropped, reason
/// <c>full</c>) and none older than <see cref="MaxAge"/> (dropped, reason <c>too_old</c>). It knows the message ids
/// it holds, so a Twitch redelivery of a buffered message is a duplicate. Thread-safe.
/// </summary>
public sealed class VoteBuffer(TimeProvider time, ChatPulseMetrics metrics)
{
    /// <summary>About 50 s of the benchmark's 2,000 votes/s, some 30 MB.</summary>
    public const int Capacity = 100_000;

    /// <summary>The longest finite window: an older vote would have left any finite window by its replay.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(120);

    /// <summary>
    /// After Redis returns, how long a vote that finds no overlay waits rather than counting as "no viewers": a
    /// restarted Redis lost the presence keys, and each replica re-registers its overlays within one heartbeat.
    /// </summary>
    public static readonly TimeSpan PresenceSettle = OverlayPresence.HeartbeatInterval + TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Backlog> _backlogs = new(StringComparer.Ordinal);
    private int _count;
    private long _settleUntilMs;
    private long _lastDrain;
    private bool _closed;

    /// <summary>Votes held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>True until <see cref="PresenceSettle"/> after the last <see cref="RedisReturned"/>.</summary>
    public bool PresenceSettling => NowMs() < Volatile.Read(ref _settleUntilMs);

    /// <summary>Redis answers again: presence may be missing for a while (<see cref="PresenceSettle"/>).</summary>
    public void RedisReturned() => Volatile.Write(ref _settleUntilMs, NowMs() + (long)PresenceSettle.TotalMilliseconds);

    /// <summary>Keeps the vote: <see cref="VoteOutcome.Buffered"/>, or <see cref="VoteOutcome.Duplicate"/> / <see cref="VoteOutcome.Dropped"/>.</summary>
    public VoteOutcome Add(BufferedVote vote)
    {
        lock (_gate)
        {
            return AddLocked(vote);
        }
    }

    /// <summary>Keeps the vote when its broadcaster has votes waiting (it must go after them); null when none wait.</summary>
    public VoteOutcome? AddIfWaiting(BufferedVote vote)
    {
        lock (_gate)
        {
            return _backlogs.ContainsKey(vote.BroadcasterId) ? AddLocked(vote) : null;
        }
    }

    /// <summary>
    /// Broadcasters with a vote due and no replay running, each with the id of the drain it is now given: only that
    /// drain takes its votes (<see cref="TakeDue"/>) until it ends, so a broadcaster has one call in flight.
    /// </summary>
    public List<(string BroadcasterId, long Drain)> StartDrains()
    {
        var now = NowMs();
        lock (_gate)
        {
            var due = new List<(string, long)>();
            foreach (var (broadcasterId, backlog) in _backlogs)
            {
                if (backlog.Drain == 0 && backlog.Votes.Count > 0 && backlog.Votes[0].NotBeforeMs <= now)
                {
                    backlog.Drain = ++_lastDrain;
                    due.Add((broadcasterId, backlog.Drain));
                }
            }

            return due;
        }
    }

    /// <summary>The broadcaster's next due votes in order (at most <paramref name="max"/>); empty ends the drain.</summary>
    public List<BufferedVote> TakeDue(string broadcasterId, long drain, int max)
    {
        var now = NowMs();
        lock (_gate)
        {
            if (!_backlogs.TryGetValue(broadcasterId, out var backlog) || backlog.Drain != drain)
            {
                return []; // its votes are done, and newer ones wait for a drain of their own
            }

            var due = backlog.Votes.TakeWhile(v => v.NotBeforeMs <= now).Take(max).ToList();
            backlog.InFlight = due.Count;
            backlog.Drain = due.Count > 0 ? drain : 0;
            return due;
        }
    }

    /// <summary>
    /// The votes <see cref="TakeDue"/> gave <paramref name="drain"/> are done, except <paramref name="retry"/>, which
    /// wait again (first in line) until <paramref name="retryAtMs"/>. <paramref name="endDrain"/>: the drain stops.
    /// </summary>
    public void Finish(string broadcasterId, long drain, IReadOnlyCollection<BufferedVote> retry, long retryAtMs, bool endDrain = false)
    {
        lock (_gate)
        {
            if (!_backlogs.TryGetValue(broadcasterId, out var backlog) || backlog.Drain != drain)
            {
                return; // dropped meanwhile (shutdown)
            }

            var done = backlog.Votes.GetRange(0, backlog.InFlight);
            backlog.Votes.RemoveRange(0, backlog.InFlight);
            backlog.InFlight = 0;
            var again = done.Where(retry.Contains).ToList();
            foreach (var vote in again)
            {
                vote.NotBeforeMs = retryAtMs;
            }

            backlog.Votes.InsertRange(0, again);
            foreach (var vote in done.Where(v => !retry.Contains(v)))
            {
                backlog.Ids.Remove(vote.ChatMessageId);
            }

            Removed(done.Count - again.Count);
            backlog.Drain = endDrain ? 0 : drain;
            RemoveIfEmpty(broadcasterId, backlog);
        }
    }

    /// <summary>Every vote waiting for a later try is due now (the replica stops).</summary>
    public void MakeAllDue()
    {
        lock (_gate)
        {
            foreach (var vote in _backlogs.Values.SelectMany(b => b.Votes))
            {
                vote.NotBeforeMs = 0;
            }
        }
    }

    /// <summary>Drops the votes older than <see cref="MaxAge"/> (not those being replayed); returns how many.</summary>
    public int DropTooOld()
    {
        var oldest = NowMs() - (long)MaxAge.TotalMilliseconds;
        lock (_gate)
        {
            var dropped = 0;
            foreach (var (broadcasterId, backlog) in _backlogs.ToList())
            {
                if (backlog.Drain == 0)
                {
                    dropped += backlog.Votes.RemoveAll(v => v.CastAtMs < oldest && backlog.Ids.Remove(v.ChatMessageId));
                    RemoveIfEmpty(broadcasterId, backlog);
                }
            }

            Removed(dropped);
            Dropped(dropped, "too_old");
            return dropped;
        }
    }

    /// <summary>
    /// Drops every vote (the replica stops and Redis cannot take them) and every later one, such as a late answer's
    /// that fails after this (reason <c>shutdown</c>, not silently); returns how many it held.
    /// </summary>
    public int DropAll()
    {
        lock (_gate)
        {
            _closed = true;
            var dropped = _count;
            _backlogs.Clear();
            Removed(dropped);
            Dropped(dropped, "shutdown");
            return dropped;
        }
    }

    private VoteOutcome AddLocked(BufferedVote vote)
    {
        if (_backlogs.TryGetValue(vote.BroadcasterId, out var backlog) && backlog.Ids.Contains(vote.ChatMessageId))
        {
            return VoteOutcome.Duplicate;
        }

        if (_closed)
        {
            Dropped(1, "shutdown"); // nothing will replay it any more
            return VoteOutcome.Dropped;
        }

        if (_count >= Capacity)
        {
            Dropped(1, "full");
            return VoteOutcome.Dropped;
        }

        if (backlog is null)
        {
            _backlogs[vote.BroadcasterId] = backlog = new Backlog();
        }

        backlog.Votes.Add(vote);
        backlog.Ids.Add(vote.ChatMessageId);
        _count++;
        metrics.VotesBuffered.Add(1);
        metrics.VoteBufferSize.Add(1);
        return VoteOutcome.Buffered;
    }

    private void RemoveIfEmpty(string broadcasterId, Backlog backlog)
    {
        if (backlog.Votes.Count == 0)
        {
            _backlogs.Remove(broadcasterId);
        }
    }

    private void Removed(int votes)
    {
        _count -= votes;
        metrics.VoteBufferSize.Add(-votes);
    }

    private void Dropped(int votes, string reason)
    {
        if (votes > 0)
        {
            metrics.VotesDropped.Add(votes, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class Backlog
    {
        public List<BufferedVote> Votes { get; } = [];
        public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);
        /// <summary>The drain replaying this backlog (0: none).</summary>
        public long Drain { get; set; }
        public int InFlight { get; set; }
    }
}

using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// A broadcaster's overlay sockets on this replica and the state they show. Changes are coalesced: the first
/// change after a quiet <see cref="OverlayProtocol.FrameInterval"/> goes out at once, later ones wait for the
/// interval to end and leave as one frame built from the latest state. Each frame is serialized once for all sockets.
/// The state is the mood snapshot and, beside it, the poll shown over it (if any).
/// </summary>
internal sealed class BroadcasterGroup : IDisposable
{
    private static readonly KeyValuePair<string, object?> Coalesced = new("reason", "coalesced");

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ChatPulseMetrics _metrics;
    private readonly ITimer _flushTimer;
    private readonly long _intervalTicks;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IOverlaySink[] _members = [];
    private SentimentSnapshot _snapshot;
    private OverlayConfiguration _configuration;
    private PollView? _poll;
    private long _pollViewsReceived;
    private long _pollReadsStarted;
    private long _pollReadTaken;
    private long _pollCountsTaken;
    private long _nextFlushAllowed;
    private bool _flushScheduled;
    private bool _closing;

    public BroadcasterGroup(string broadcasterId, OverlayConfiguration configuration, TimeProvider time, ChatPulseMetrics metrics)
    {
        BroadcasterId = broadcasterId;
        _configuration = configuration;
        _snapshot = SentimentSnapshot.Empty(broadcasterId, at: -1); // older than anything read or published
        _time = time;
        _metrics = metrics;
        _intervalTicks = (long)(OverlayProtocol.FrameInterval.TotalSeconds * time.TimestampFrequency);
        _flushTimer = time.CreateTimer(_ => FlushScheduled(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string BroadcasterId { get; }

    public IReadOnlyList<IOverlaySink> Members => Volatile.Read(ref _members);

    public int Count => Volatile.Read(ref _members).Length;

    /// <summary>The sockets that are the streamer's overlays: <see cref="Count"/> without previews and docks.</summary>
    public int OverlayCount
    {
        get
        {
            var count = 0;
            foreach (var member in Volatile.Read(ref _members))
            {
                count += member.IsPreview ? 0 : 1; // read every tick per broadcaster: no enumerator to allocate
            }

            return count;
        }
    }

    /// <summary>The sentiment shown now.</summary>
    public SentimentSnapshot Snapshot
    {
        get
        {
            lock (_gate)
            {
                return _snapshot;
            }
        }
    }

    /// <summary>The snapshot and the poll shown now, to remember for a socket that returns while Redis is down.</summary>
    public OverlayGroupState State
    {
        get
        {
            lock (_gate)
            {
                return new OverlayGroupState(_snapshot, VisiblePollLocked(UnixNow()));
            }
        }
    }

    /// <summary>Completes once the group is gone; a socket that arrived while it was closing joins a new one.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Adds a socket; false when the group is already closing.</summary>
    public bool TryAdd(IOverlaySink sink)
    {
        lock (_gate)
        {
            if (_closing)
            {
                return false;
            }

            _members = [.. _members, sink];
            return true;
        }
    }

    /// <summary>Removes a socket; true when it was the last one, after which the group takes no one.</summary>
    public bool Remove(IOverlaySink sink)
    {
        lock (_gate)
        {
            var remaining = Array.FindAll(_members, m => !ReferenceEquals(m, sink));
            if (remaining.Length == _members.Length)
            {
                return false;
            }

            _members = remaining;
            _closing = remaining.Length == 0;
            return _closing;
        }
    }

    /// <summary>The current state as one frame, for a socket that just joined.</summary>
    public byte[] CurrentFrame()
    {
        lock (_gate)
        {
            return FrameLocked();
        }
    }

    /// <summary>
    /// Takes a snapshot unless it is older than the one shown; <paramref name="force"/> takes it anyway (reset). Counts
    /// equal to the ones shown send no frame: a refresh after a Redis reconnect that finds nothing new stays quiet.
    /// </summary>
    public void Apply(SentimentSnapshot snapshot, bool force = false)
    {
        lock (_gate)
        {
            if (!force && snapshot.At < _snapshot.At)
            {
                return;
            }

            var unchanged = (snapshot.For, snapshot.Against) == (_snapshot.For, _snapshot.Against);
            _snapshot = snapshot;
            if (unchanged)
            {
                return;
            }
        }

        RequestFlush();
    }

    public void Apply(OverlayConfiguration configuration)
    {
        lock (_gate)
        {
            if (configuration.Version < _configuration.Version)
            {
                return;
            }

            _configuration = configuration;
        }

        RequestFlush();
    }

    /// <summary>
    /// Starts a read of the poll's view key (a refresh); <see cref="ApplyRead"/> takes its result only if nothing newer
    /// came meanwhile: a poll message on the channel, or a read started later that was already taken.
    /// </summary>
    public PollRead StartPollRead()
    {
        lock (_gate)
        {
            return new PollRead(++_pollReadsStarted, _pollViewsReceived, _pollCountsTaken);
        }
    }

    /// <summary>Shows <paramref name="poll"/> over the mood bar, or none (null): a poll message on the sentiment channel says so.</summary>
    public void Apply(PollView? poll)
    {
        lock (_gate)
        {
            _pollViewsReceived++;
            if (!TakeLocked(poll))
            {
                return;
            }
        }

        RequestFlush();
    }

    /// <summary>
    /// Shows the view key's <paramref name="poll"/> that <paramref name="read"/> found, unless a poll message or a later
    /// read overtook it (a poll that started or ended meanwhile stays shown). For the running poll shown, when a counts
    /// message came while the read was on its way, the read's counts are taken only if their total is higher: otherwise
    /// the message may be the newer. Without one the read is the truth, even lower (Redis restored from older data).
    /// </summary>
    public void ApplyRead(PollView? poll, PollRead read)
    {
        lock (_gate)
        {
            if (read.ViewsBefore != _pollViewsReceived || read.Number < _pollReadTaken)
            {
                return;
            }

            _pollReadTaken = read.Number;
            if (poll is { State: PollView.Running } && _poll is { State: PollView.Running } shown && shown.Id == poll.Id
                && read.CountsBefore != _pollCountsTaken && poll.TotalVotes <= shown.TotalVotes)
            {
                return;
            }

            if (!TakeLocked(poll))
            {
                return;
            }
        }

        RequestFlush();
    }

    /// <summary>What this replica showed last (<see cref="State"/>), for a group created while Redis may be down.</summary>
    public void Restore(OverlayGroupState last)
    {
        lock (_gate)
        {
            _snapshot = last.Snapshot;
            _poll = last.Poll;
        }
    }

    /// <summary>
    /// Takes a running poll's counts; false (nothing changes) unless they are the shown poll's, it still runs, and
    /// their total is not below the one shown (a message the view read at refresh already overtook). Counts messages
    /// arrive in the order Redis's scripts published them, so their replicas' clocks (<c>at</c>) do not order them.
    /// </summary>
    public bool Apply(PollCounts counts)
    {
        lock (_gate)
        {
            if (_poll is not { State: PollView.Running } poll || poll.Id != counts.PollId || counts.Counts.Count != poll.Options.Count
                || counts.Total < poll.TotalVotes)
            {
                return false;
            }

            _poll = poll with { Options = [.. poll.Options.Select((o, i) => o with { Votes = counts.Counts[i] })], TotalVotes = counts.Total };
            _pollCountsTaken++;
        }

        RequestFlush();
        return true;
    }

    public void MarkClosed()
    {
        _flushTimer.Dispose();
        _closed.TrySetResult();
    }

    public void Dispose() => _flushTimer.Dispose();

    private void RequestFlush()
    {
        lock (_gate)
        {
            if (_flushScheduled)
            {
                _metrics.FramesDropped.Add(1, Coalesced); // merged into the frame already due
                return;
            }

            var now = _time.GetTimestamp();
            if (now < _nextFlushAllowed)
            {
                _flushScheduled = true;
                _flushTimer.Change(_time.GetElapsedTime(now, _nextFlushAllowed), Timeout.InfiniteTimeSpan);
                return;
            }

            SendLocked(now);
        }
    }

    private void FlushScheduled()
    {
        lock (_gate)
        {
            _flushScheduled = false;
            SendLocked(_time.GetTimestamp());
        }
    }

    // Under the lock so frames reach every socket in the order they were built; enqueueing never blocks.
    private void SendLocked(long now)
    {
        _nextFlushAllowed = now + _intervalTicks;
        var frame = FrameLocked();
        foreach (var member in _members)
        {
            member.Enqueue(frame);
        }
    }

    // False when the poll shown does not change (every refresh finds the same): no frame.
    private bool TakeLocked(PollView? poll)
    {
        if (poll is null ? _poll is null : poll.SameAs(_poll))
        {
            return false;
        }

        _poll = poll;
        return true;
    }

    private byte[] FrameLocked()
    {
        var now = UnixNow();
        return (OverlayStateMessage.From(_snapshot, _configuration) with { Poll = VisiblePollLocked(now), ServerTime = now }).ToUtf8();
    }

    // A result past its showUntil has left every page (each hides it itself): it is not sent again, nor to a newcomer.
    private PollView? VisiblePollLocked(long now)
    {
        if (_poll is { State: not PollView.Running, ShowUntil: { } until } && until <= now)
        {
            _poll = null;
        }

        return _poll;
    }

    private long UnixNow() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}

/// <summary>What a group shows: the mood snapshot and the poll over it.</summary>
internal sealed record OverlayGroupState(SentimentSnapshot Snapshot, PollView? Poll);

/// <summary>A read of the poll's view key: its place among the group's reads, and the channel views and counts taken before it.</summary>
internal readonly record struct PollRead(long Number, long ViewsBefore, long CountsBefore);

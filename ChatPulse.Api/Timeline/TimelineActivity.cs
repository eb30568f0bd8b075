using ChatPulse.Api.Votes;

namespace ChatPulse.Api.Timeline;

/// <summary>
/// Mood votes applied on this replica since the last flush, per broadcaster, in memory: the vote path pays one
/// dictionary increment under a short lock, and <see cref="TimelineRecorder"/> moves the counts to Redis once per interval.
/// </summary>
public sealed class TimelineActivity
{
    private readonly Lock _gate = new();
    private Dictionary<string, long> _counts = [];

    /// <summary>Counts <paramref name="vote"/> when it is a mood vote (for or against); anything else is not the timeline's.</summary>
    public void Applied(BufferedVote vote)
    {
        if (vote.Side is not (VoteSide.For or VoteSide.Against))
        {
            return;
        }

        lock (_gate)
        {
            _counts[vote.BroadcasterId] = _counts.GetValueOrDefault(vote.BroadcasterId) + 1;
        }
    }

    /// <summary>The counts so far, leaving an empty set for the next interval.</summary>
    public IReadOnlyDictionary<string, long> Drain()
    {
        lock (_gate)
        {
            var drained = _counts;
            _counts = new Dictionary<string, long>(drained.Count);
            return drained;
        }
    }
}

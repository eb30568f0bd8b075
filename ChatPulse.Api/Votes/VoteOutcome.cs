namespace ChatPulse.Api.Votes;

/// <summary>What became of one chat message; the <c>outcome</c> tag of <c>chatpulse.votes.processed</c>.</summary>
public enum VoteOutcome
{
    NoViewers = 0,
    Duplicate = 1,
    Debounced = 2,
    Applied = 3,
    NoMatch = 4,
    Error = 5,

    /// <summary>Its second had left the finite window by the time it reached Redis (a vote replayed late).</summary>
    Expired = 6,

    /// <summary>Redis did not answer in time: the vote waits in <see cref="VoteBuffer"/>; its replay records the real outcome.</summary>
    Buffered = 7,

    /// <summary>Lost: the buffer was full (<c>chatpulse.votes.dropped</c> says why).</summary>
    Dropped = 8,

    /// <summary>A poll vote after the poll's end (or for a poll no longer running): not counted.</summary>
    PollClosed = 9,

    /// <summary>A poll vote from a chatter whose vote stands (rule <c>first</c>), or the same option again (rule <c>last</c>).</summary>
    AlreadyVoted = 10,
}

public static class VoteOutcomes
{
    private static readonly string[] Tags = ["no_viewers", "duplicate", "debounced", "applied", "no_match", "error", "expired", "buffered", "dropped", "poll_closed", "already_voted"];

    public static string Tag(this VoteOutcome outcome) => Tags[(int)outcome];
}

/// <summary>The outcome and, when applied, the window's totals right after the vote.</summary>
public readonly record struct VoteCast(VoteOutcome Outcome, long For, long Against);

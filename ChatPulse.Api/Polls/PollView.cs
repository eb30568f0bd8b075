namespace ChatPulse.Api.Polls;

/// <summary>
/// A poll as the overlay, the dock and the dashboard show it: the running poll with its live counts, or a result being
/// shown. Times are Unix ms of the server's clock, so every replica shows the same countdown (docs/polls.md).
/// </summary>
/// <param name="State"><c>running</c> or <c>ended</c>.</param>
/// <param name="EndsAt">When the countdown ends; null for a poll that is open until ended.</param>
/// <param name="Winners">0-based indexes of the options with the most votes (several on a tie; none without votes); empty while running.</param>
/// <param name="ShowUntil">For an ended poll: when the overlay returns to the mood bar; null keeps the result until dismissed.</param>
public sealed record PollView(
    Guid Id,
    string Question,
    IReadOnlyList<PollOptionView> Options,
    long TotalVotes,
    string Rule,
    string State,
    long StartedAt,
    long? EndsAt,
    long? EndedAt,
    IReadOnlyList<int> Winners,
    long? ShowUntil)
{
    public const string Running = "running";
    public const string Ended = "ended";

    /// <summary>True when <paramref name="other"/> shows the same: this poll, in this state, with these counts and times.</summary>
    public bool SameAs(PollView? other) =>
        other is not null && other.Id == Id && other.State == State && other.TotalVotes == TotalVotes && other.EndsAt == EndsAt
        && other.EndedAt == EndedAt && other.ShowUntil == ShowUntil && other.Winners.SequenceEqual(Winners)
        && other.Options.Select(o => o.Votes).SequenceEqual(Options.Select(o => o.Votes));
}

/// <summary>One option: its label, the chat triggers that vote for it, and its votes so far.</summary>
public sealed record PollOptionView(string Label, IReadOnlyList<string> Triggers, long Votes);

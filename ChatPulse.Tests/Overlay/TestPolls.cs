using ChatPulse.Api.Polls;

namespace ChatPulse.Tests.Overlay;

/// <summary>Poll views as poll-engine writes them (the contract's <see cref="PollView"/>), for the overlay's tests.</summary>
internal static class TestPolls
{
    /// <summary>A running poll started at <paramref name="startedAt"/> with options 1..N and no votes yet.</summary>
    public static PollView Running(long startedAt, int seconds, params string[] labels) => new(
        Guid.NewGuid(),
        "What do we play next?",
        [.. labels.Select((label, i) => new PollOptionView(label, [(i + 1).ToString()], 0))],
        TotalVotes: 0,
        Rule: "first",
        State: PollView.Running,
        StartedAt: startedAt,
        EndsAt: startedAt + seconds * 1000L,
        EndedAt: null,
        Winners: [],
        ShowUntil: null);

    public static PollView WithVotes(this PollView poll, params long[] votes) => poll with
    {
        Options = [.. poll.Options.Select((o, i) => o with { Votes = votes[i] })],
        TotalVotes = votes.Sum(),
    };

    /// <summary>The same poll ended at <paramref name="endedAt"/>, the options with the most votes winning.</summary>
    public static PollView Ended(this PollView poll, long endedAt, long? showUntil)
    {
        var most = poll.Options.Max(o => o.Votes);
        return poll with
        {
            State = PollView.Ended,
            EndedAt = endedAt,
            ShowUntil = showUntil,
            Winners = most == 0 ? [] : [.. poll.Options.Select((o, i) => (o, i)).Where(p => p.o.Votes == most).Select(p => p.i)],
        };
    }
}

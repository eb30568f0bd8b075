namespace ChatPulse.Api.Timeline;

/// <summary>
/// One point of a channel's mood timeline: the window's totals at <paramref name="At"/> (the end of its interval,
/// what the overlay showed then) and the mood votes applied during the interval.
/// </summary>
public sealed record MoodPoint(DateTimeOffset At, long For, long Against, int Votes, double VotesPerSecond)
{
    /// <summary>for / (for + against); 0.5 (the middle) when the window was empty.</summary>
    public double Ratio => For + Against == 0 ? 0.5 : (double)For / (For + Against);
}

/// <summary>
/// A stream: a run of points with no gap longer than <see cref="TimelineStore.StreamGap"/>.
/// Its id is its first point's time in Unix milliseconds.
/// </summary>
public sealed record MoodStream(DateTimeOffset Start, DateTimeOffset End, int Points, long Votes)
{
    public long Id => Start.ToUnixTimeMilliseconds();

    public TimeSpan Length => End - Start;
}

/// <summary>A poll as the timeline marks it (from the <c>polls</c> table); <paramref name="End"/> null while it runs open.</summary>
public sealed record TimelinePoll(Guid Id, string Question, DateTimeOffset Start, DateTimeOffset? End, string Status, IReadOnlyList<string> Winners);

/// <summary>One interval's point for one channel, as the recorder hands it to <see cref="TimelineStore.InsertAsync"/>.</summary>
public readonly record struct IntervalPoint(string BroadcasterId, long For, long Against, int Votes);

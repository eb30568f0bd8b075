using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Polls;

/// <summary>One option of a poll: its label and the chat triggers that vote for it (whole message, case-insensitive).</summary>
public sealed record PollOption(string Label, TriggerList Triggers);

/// <summary>
/// A poll as the streamer defined it, validated by <see cref="PollRules"/>.
/// </summary>
/// <param name="DurationSeconds">15–900 s; null: open until the streamer ends it.</param>
/// <param name="Rule"><see cref="PollRules.First"/> (the first vote stands) or <see cref="PollRules.Last"/> (the last vote counts).</param>
/// <param name="ResultSeconds">How long the overlay shows the result, 5–300 s; null: until dismissed.</param>
public sealed record PollDefinition(string Question, IReadOnlyList<PollOption> Options, int? DurationSeconds, string Rule, int? ResultSeconds);

/// <summary>A poll as the <c>polls</c> table keeps it (migration 0007): its definition, state and, once over, its result.</summary>
/// <param name="Counts">Votes per option; null while running.</param>
/// <param name="Winners">0-based option indexes with the most votes (several on a tie, none without votes).</param>
public sealed record PollRecord(
    Guid Id,
    Guid StreamerId,
    PollDefinition Definition,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndsAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<long>? Counts,
    IReadOnlyList<int>? Winners,
    IReadOnlyList<long>? VotesPerMinute)
{
    public const string Running = "running";
    public const string Ended = "ended";
    public const string Cancelled = "cancelled";

    /// <summary>The view of this poll's result (or of the running poll with no votes yet), shown until <paramref name="showUntil"/>.</summary>
    public PollView ToView(long? showUntil) => new(
        Id,
        Definition.Question,
        [.. Definition.Options.Select((o, i) => new PollOptionView(o.Label, [.. o.Triggers], Counts is { } c && i < c.Count ? c[i] : 0))],
        Counts?.Sum() ?? 0,
        Definition.Rule,
        Status == Running ? PollView.Running : PollView.Ended,
        StartedAt.ToUnixTimeMilliseconds(),
        EndsAt?.ToUnixTimeMilliseconds(),
        EndedAt?.ToUnixTimeMilliseconds(),
        Winners ?? [],
        showUntil);
}

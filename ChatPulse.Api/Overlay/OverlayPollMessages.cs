using System.Text.Json;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Votes;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// One message on a broadcaster's sentiment channel, read once whatever it is: a mood snapshot (no <c>kind</c>),
/// a poll view change (<c>"poll"</c>, view null when it leaves the overlay) or a running poll's counts
/// (<c>"poll-counts"</c>), as docs/overlay-styles.md describes.
/// </summary>
internal sealed record SentimentChannelMessage(
    string? Kind,
    string? BroadcasterId,
    long For,
    long Against,
    long At,
    PollView? View,
    Guid? PollId,
    IReadOnlyList<long>? Counts,
    long Total)
{
    public const string PollKind = PollMessage.KindName;
    public const string PollCountsKind = PollCountsMessage.KindName;

    public SentimentSnapshot ToSnapshot() => new(BroadcasterId!, For, Against, At);

    /// <summary>The message, or null when it is not JSON of that shape.</summary>
    public static SentimentChannelMessage? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, OverlayJsonContext.Default.SentimentChannelMessage);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A running poll's counts as the vote script published them, at <see cref="At"/> (Unix ms).</summary>
internal sealed record PollCounts(Guid PollId, IReadOnlyList<long> Counts, long Total, long At);

internal static class PollViews
{
    /// <summary>A view with what the page needs (question, options, state), or null: a poll message's view may be malformed.</summary>
    public static PollView? Valid(PollView? view) =>
        view is { Question: not null, Options.Count: > 0, State: not null, Winners: not null } && view.Options.All(o => o is { Label: not null }) ? view : null;
}

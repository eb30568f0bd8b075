using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using Microsoft.AspNetCore.Mvc;

namespace ChatPulse.Api.Dashboard.Pages.Shared.Components.Polls;

/// <summary>
/// The dashboard's polls card: the start form, the running poll (live from the overlay socket, <c>Assets/polls.js</c>)
/// and the results list, newest first, rendered here so it shows without JavaScript (docs/polls-dashboard.md).
/// </summary>
public sealed class PollsViewComponent(PollStore polls) : ViewComponent
{
    /// <summary>How many results the list shows, as the script asks the API for (<c>?limit=20</c>).</summary>
    public const int Listed = 20;

    /// <summary>The card for <paramref name="streamer"/>, with their last <see cref="Listed"/> polls.</summary>
    public async Task<IViewComponentResult> InvokeAsync(Streamer streamer) =>
        View(new PollsPanel(streamer.OverlayId, await polls.ListAsync(streamer.Id, Listed, HttpContext.RequestAborted)));
}

/// <summary>What the card shows: the overlay whose socket carries the running poll, and the stored results.</summary>
public sealed record PollsPanel(Guid OverlayId, IReadOnlyList<PollRecord> Results)
{
    /// <summary>The result line: "Winner: A", "Tie: A, B", "No votes", or the status of a poll without a result.</summary>
    public static string Outcome(PollRecord poll) => poll.Status switch
    {
        PollRecord.Running => "Running",
        PollRecord.Cancelled => "Cancelled",
        _ when poll.Winners is not { Count: > 0 } winners => "No votes",
        _ => (poll.Winners.Count > 1 ? "Tie: " : "Winner: ") + string.Join(", ", poll.Winners.Select(i => poll.Definition.Options[i].Label)),
    };

    /// <summary>An option's stored votes (0 while the poll runs: its counts are in Redis until the end).</summary>
    public static long Votes(PollRecord poll, int option) => poll.Counts is { } counts && option < counts.Count ? counts[option] : 0;

    /// <summary>The share as the page's script writes it: a whole percentage, halves rounded up.</summary>
    public static string Percent(long votes, long total) => (total > 0 ? (int)Math.Round(votes * 100.0 / total, MidpointRounding.AwayFromZero) : 0) + "%";
}

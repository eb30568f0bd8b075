using ChatPulse.Api.Accounts;
using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace ChatPulse.Api.Timeline;

/// <summary>What the dashboard's timeline card shows (<c>Pages/Shared/Components/Timeline/Default.cshtml</c>).</summary>
/// <param name="Unavailable">Postgres did not answer: the card says the chart cannot load.</param>
/// <param name="UnknownStream">The page asked for a stream (<c>?stream=</c>) the streamer does not have.</param>
public sealed record TimelineModel(bool Unavailable, bool UnknownStream, IReadOnlyList<MoodStream> Streams, MoodStream? Selected,
    TimelineChart? Chart, IReadOnlyList<TimelinePoll> Polls, TimeSpan Interval);

/// <summary>
/// The dashboard's mood timeline: the latest stream's chart (or the one <c>?stream=</c> names), the polls of its
/// time, the list of recent streams to pick from, and the export links. The signed-in streamer's own data only.
/// </summary>
public sealed partial class TimelineViewComponent(TimelineStore store, IOptions<TimelineOptions> options,
    ILogger<TimelineViewComponent> logger) : ViewComponent
{
    /// <summary>Streams listed to pick from.</summary>
    public const int StreamsListed = 10;

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var interval = options.Value.IntervalValue;
        if (HttpContext.User.GetStreamerId() is not { } streamerId)
        {
            return Content("");
        }

        try
        {
            return View(await LoadAsync(streamerId, interval, HttpContext.RequestAborted));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogUnavailable(logger, e);
            return View(new TimelineModel(true, false, [], null, null, [], interval));
        }
    }

    private async Task<TimelineModel> LoadAsync(Guid streamerId, TimeSpan interval, CancellationToken cancellationToken)
    {
        var streams = await store.StreamsAsync(streamerId, StreamsListed, cancellationToken);
        var asked = Request.Query["stream"].ToString();
        MoodStream? selected = streams.FirstOrDefault();
        if (asked.Length > 0)
        {
            selected = TimelineStream.TryParseId(asked, out var start) ? streams.FirstOrDefault(s => s.Start == start) ?? new MoodStream(start, start, 0, 0) : null;
        }

        var points = selected is null ? null : await store.StreamPointsAsync(streamerId, selected.Start, cancellationToken);
        if (selected is null || points is null)
        {
            return new TimelineModel(false, asked.Length > 0, streams, null, null, [], interval);
        }

        selected = TimelineStream.Of(points);
        var polls = await store.PollsAsync(streamerId, selected.Start, selected.End, cancellationToken);
        return new TimelineModel(false, false, streams, selected, TimelineChart.Build(points, interval), polls, interval);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dashboard's mood timeline could not load: Postgres failed")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}

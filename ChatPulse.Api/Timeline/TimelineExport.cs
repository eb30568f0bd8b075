using System.Globalization;
using System.Text;
using ChatPulse.Api.Accounts;
using ChatPulse.Api.Streamers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Timeline;

/// <summary>
/// <c>GET /api/dashboard/timeline?stream=&lt;id&gt;&amp;format=csv|json</c>: a stream's points as a download, the
/// signed-in streamer's own channel only (from the session). Without <c>stream</c>: the latest stream.
/// </summary>
public static class TimelineExport
{
    /// <summary>The route in the dashboard API's group.</summary>
    public const string Route = "/timeline";

    public const string Path = Dashboard.DashboardApi.Prefix + Route;

    /// <summary>The CSV's header line (times in UTC, ISO 8601).</summary>
    public const string CsvHeader = "time,for,against,ratio,votes,votes_per_second";

    /// <summary>The JSON export: the stream, its points, the polls of its time.</summary>
    public sealed record TimelineDocument(StreamSummary Stream, IReadOnlyList<PointRow> Points, IReadOnlyList<PollRow> Polls);

    public sealed record StreamSummary(long Id, DateTimeOffset Start, DateTimeOffset End, int Points, long Votes);

    public sealed record PointRow(DateTimeOffset Time, long For, long Against, double Ratio, int Votes, double VotesPerSecond);

    public sealed record PollRow(Guid Id, string Question, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Status, IReadOnlyList<string> Winners);

    /// <summary>Maps the export into the dashboard's API group, which signs in and rate-limits it (Dashboard/DashboardApi.cs).</summary>
    public static RouteGroupBuilder MapTimelineExport(this RouteGroupBuilder api)
    {
        api.MapGet(Route, ExportAsync).WithName("ExportTimeline");
        return api;
    }

    private static async Task<Results<FileContentHttpResult, JsonHttpResult<TimelineDocument>, UnauthorizedHttpResult, ProblemHttpResult, ValidationProblem>> ExportAsync(
        HttpContext context, StreamerStore streamers, TimelineStore store, string? stream, string? format, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        format ??= "json";
        if (format is not ("csv" or "json"))
        {
            errors["format"] = ["format must be csv or json."];
        }

        var start = default(DateTimeOffset);
        if (stream is not null && !TimelineStream.TryParseId(stream, out start))
        {
            errors["stream"] = ["stream must be a stream id: its start in Unix milliseconds, as the dashboard's links give it."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The export's parameters are invalid");
        }

        if (context.User.GetStreamerId() is not { } id || await streamers.GetByIdAsync(id, cancellationToken) is not { } streamer)
        {
            return TypedResults.Unauthorized();
        }

        if (stream is null)
        {
            if ((await store.StreamsAsync(id, 1, cancellationToken)).FirstOrDefault() is not { } latest)
            {
                return NotFound("No stream recorded yet.");
            }

            start = latest.Start;
        }

        if (await store.StreamPointsAsync(id, start, cancellationToken) is not { } points)
        {
            return NotFound("None of your streams starts at this id.");
        }

        var summary = TimelineStream.Of(points);
        var polls = await store.PollsAsync(id, summary.Start, summary.End, cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        var document = new TimelineDocument(new StreamSummary(summary.Id, summary.Start, summary.End, summary.Points, summary.Votes),
            points.Select(p => new PointRow(p.At, p.For, p.Against, Math.Round(p.Ratio, 4), p.Votes, Math.Round(p.VotesPerSecond, 3))).ToList(),
            polls.Select(p => new PollRow(p.Id, p.Question, p.Start, p.End, p.Status, p.Winners)).ToList());
        var name = $"chatpulse-timeline-{streamer.Login}-{summary.Start.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}";
        if (format == "csv")
        {
            return TypedResults.File(Encoding.UTF8.GetBytes(ToCsv(document.Points)), "text/csv; charset=utf-8", $"{name}.csv");
        }

        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.json\"";
        return TypedResults.Json(document);
    }

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such stream", detail: detail);

    /// <summary>One line per point under <see cref="CsvHeader"/>; numbers in invariant culture, times as <c>2026-12-02T20:15:30Z</c>.</summary>
    public static string ToCsv(IEnumerable<PointRow> points)
    {
        var csv = new StringBuilder(CsvHeader).Append('\n');
        foreach (var p in points)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{p.For},{p.Against},{p.Ratio:0.####},{p.Votes},{p.VotesPerSecond:0.###}\n");
        }

        return csv.ToString();
    }
}

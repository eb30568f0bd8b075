using System.Text.Json;
using AngleSharp.Dom;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Timeline;

/// <summary>The dashboard's timeline card over HTTP (the shared replica): the SVG for recorded streams, the polls on it, picking a stream.</summary>
[Collection(AppHostCollection.Name)]
public sealed class TimelineDashboardTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.SharedAsync(fixture);

    public Task DisposeAsync() => Task.CompletedTask; // the shared replica goes with the fixture

    [Fact]
    public async Task The_latest_stream_is_drawn_with_its_poll_and_the_streams_are_listed_to_pick_from()
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "chart");
        using var _ = visitor;
        var recorded = await TimelineStreams.RecordAsync(fixture, streamer.Id);

        var page = await visitor.PageAsync("/dashboard");
        var chart = page.QuerySelector("[data-testid=timeline-chart]")!;
        var poll = chart.QuerySelector("[data-testid=timeline-poll]")!;
        var rows = page.QuerySelectorAll("[data-testid=timeline-streams] tbody tr");
        var older = await visitor.PageAsync($"/dashboard?stream={recorded.OlderId}");
        var unknown = await visitor.PageAsync("/dashboard?stream=12345");

        // x: 44 + i/4 × 748 over the five points; y: 150 − share × 140 (top = all "for").
        Assert.Equal("M44 10 L231 80 L418 115 L605 45 L792 80", chart.QuerySelector("[data-testid=timeline-ratio]")!.GetAttribute("d"));
        Assert.Equal("M44 204 L44 162 L231 183 L418 195.6 L605 187.2 L792 199.8 L792 204 Z", chart.QuerySelector("[data-testid=timeline-rate]")!.GetAttribute("d"));
        Assert.Equal(recorded.PollId.ToString(), poll.GetAttribute("data-poll-id"));
        Assert.Equal(("231", "374"), (poll.QuerySelector("rect")!.GetAttribute("x"), poll.QuerySelector("rect")!.GetAttribute("width")));
        Assert.Equal($"Poll “{TimelineStreams.Question}” (ended, winner: Yes)", poll.QuerySelector("title")!.TextContent);
        Assert.Contains("Chat mood of the stream started", chart.QuerySelector("title")!.TextContent);
        Assert.NotEmpty(chart.QuerySelector("desc")!.TextContent);
        var drawn = JsonDocument.Parse(chart.GetAttribute("data-points")!).RootElement;
        Assert.Equal(5, drawn.GetArrayLength());
        Assert.Equal($"[{recorded.LatestId},1,0,10,1]", drawn[0].GetRawText());
        Assert.Equal(2, rows.Length);
        Assert.Equal("true", rows[0].QuerySelector("a")!.GetAttribute("aria-current"));
        Assert.Equal($"/dashboard?stream={recorded.OlderId}#timeline-heading", rows[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal($"/api/dashboard/timeline?stream={recorded.LatestId}&format=csv", page.QuerySelector("[data-testid=timeline-csv]")!.GetAttribute("href"));
        Assert.Equal("M44 10 L418 80 L792 80", older.QuerySelector("[data-testid=timeline-ratio]")!.GetAttribute("d"));
        Assert.Null(older.QuerySelector("[data-testid=timeline-poll]"));
        Assert.NotNull(unknown.QuerySelector("[data-testid=timeline-unknown]"));
        Assert.Null(unknown.QuerySelector("[data-testid=timeline-chart]"));
    }

    [Fact]
    public async Task A_streamer_without_points_sees_no_chart_and_never_anothers_streams()
    {
        var (mine, me) = await TwitchLogin.SignInNewStreamerAsync(_replica, "mine");
        var (theirs, _) = await TwitchLogin.SignInNewStreamerAsync(_replica, "theirs");
        using var __ = mine;
        using var ___ = theirs;
        var recorded = await TimelineStreams.RecordAsync(fixture, me.Id);

        var page = await theirs.PageAsync("/dashboard");
        var asked = await theirs.PageAsync($"/dashboard?stream={recorded.LatestId}");

        Assert.NotNull(page.QuerySelector("[data-testid=timeline-empty]"));
        Assert.Null(page.QuerySelector("[data-testid=timeline-streams]"));
        Assert.Null(asked.QuerySelector("[data-testid=timeline-chart]"));
        Assert.NotNull(asked.QuerySelector("[data-testid=timeline-unknown]"));
    }
}

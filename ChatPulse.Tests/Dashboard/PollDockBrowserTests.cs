using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;
using ChatPulse.Tests.Timeline;
using ChatPulse.Tests.Twitch;

namespace ChatPulse.Tests.Dashboard;

/// <summary>
/// The dock's quick poll at 300×400 in headless Chromium against the real poll API and webhook: started from the dock,
/// followed live, cancelled; and the issue's "done when": a 60-second poll voted 1–4 in chat, counted down and crowned
/// on the dock and on the overlay page, then listed on the dashboard beside the stream's mood timeline with the poll on it.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PollDockBrowserTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    // A replica of its own: the browser's requests share one client address, and so the dashboard's rate limit. A 1 s
    // timeline interval on a Redis database of its own, so the mood votes are points well before the poll ends.
    public async Task InitializeAsync() => _replica = await ApiInstance.StartAsync(fixture, e => TimelineRows.Use(e, redisDatabase: 11));

    public async Task DisposeAsync() => await _replica.DisposeAsync();

    [Fact]
    public async Task A_quick_poll_from_the_dock_runs_at_300x400_without_sideways_scrolling_and_cancels()
    {
        var (visitor, _) = await TwitchLogin.SignInNewStreamerAsync(_replica, "polldock");
        using var _ = visitor;
        await using var chromium = await HeadlessChromium.LaunchAsync(300, 400);
        await DashboardBrowser.SignInAsync(chromium, visitor, _replica.BaseAddress);
        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_replica.BaseAddress, "/dock").ToString());

        var duration = await page.InputValueAsync("[data-testid=poll-duration]");
        await page.FillAsync("[data-testid=poll-question]", "A question long enough to need a second line in a narrow dock?");
        await page.FillAsync("[data-testid=poll-option-label-0]", "The first option, with a rather long label");
        await page.FillAsync("[data-testid=poll-option-label-1]", "Second");
        await page.FillAsync("[data-testid=poll-option-label-2]", "Third");
        await page.ClickAsync("[data-testid=poll-start]");
        await PollPages.WaitForStateAsync(page, "running");
        var triggers = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[data-testid=poll-live] .poll-trigger')].map(n => n.textContent)");
        var overflows = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        await PollPages.ScreenshotAsync(page, "poll-dock-300x400-running.png");

        await page.ClickAsync("[data-testid=poll-cancel]");
        await PollPages.WaitForStateAsync(page, "none");
        var formBack = await page.IsVisibleAsync("[data-testid=poll-form]");
        var current = await PollPages.CurrentAsync(visitor);
        using var list = await visitor.GetAsync("/api/dashboard/polls?limit=20");
        var listed = System.Text.Json.JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("polls")[0];

        Assert.Equal("60", duration);
        Assert.Equal(["1", "2", "3"], triggers); // the empty fourth row is left out
        Assert.False(overflows, "the dock scrolls sideways at 300 px during a poll");
        Assert.True(formBack, "the start form is back after the cancel");
        Assert.Null(current);
        Assert.Equal("cancelled", listed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Done_when_a_60_second_poll_from_the_dock_is_voted_1_to_4_in_chat_counts_down_crowns_the_winner_and_is_listed_on_the_timeline()
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "polldone");
        using var _ = visitor;
        await using var chromium = await HeadlessChromium.LaunchAsync(300, 400);
        await DashboardBrowser.SignInAsync(chromium, visitor, _replica.BaseAddress);
        var dock = await chromium.Browser.NewPageAsync();
        await dock.GotoAsync(new Uri(_replica.BaseAddress, "/dock").ToString());
        await DashboardBrowser.WaitForAsync(dock, "document.querySelector('[data-testid=dock]').dataset.connection === 'open'", "the dock's socket");

        // The OBS overlay itself, beside the dock (overlay-poll's page draws the poll; here it must crown the same winner).
        var overlay = await chromium.Browser.NewPageAsync();
        await overlay.GotoAsync(new Uri(_replica.BaseAddress, $"/overlay/{streamer.OverlayId}").ToString());

        await dock.FillAsync("[data-testid=poll-question]", "Next map?");
        string[] maps = ["Dust", "Mirage", "Inferno", "Nuke"];
        for (var i = 0; i < maps.Length; i++)
        {
            await dock.FillAsync($"[data-testid=poll-option-label-{i}]", maps[i]);
        }

        await dock.ClickAsync("[data-testid=poll-start]");
        await PollPages.WaitForStateAsync(dock, "running");
        var startedAt = int.Parse(await dock.GetAttributeAsync("[data-testid=poll-countdown]", "data-seconds") ?? "0");
        var pollId = await dock.GetAttributeAsync("[data-testid=poll-live]", "data-poll-id");
        // Chat: three for Mirage (one of them changing their mind is held to their first vote), two for Dust, one each for the others.
        string[] votes = ["2", "1", "2", "3", "2", "4", "1"];
        for (var i = 0; i < votes.Length; i++)
        {
            await PollPages.ChatAsync(_replica, streamer.TwitchUserId, $"7{i:D3}", votes[i]);
        }

        await PollPages.ChatAsync(_replica, streamer.TwitchUserId, "7000", "1"); // a second vote: the first stands
        // The mood goes on beside the poll: two for, one against, through the same webhook.
        string[] moods = ["yes", "no", "yes"];
        for (var i = 0; i < moods.Length; i++)
        {
            await PollPages.ChatAsync(_replica, streamer.TwitchUserId, $"8{i:D3}", moods[i]);
        }

        await DashboardBrowser.WaitForAsync(dock, "[...document.querySelectorAll('[data-testid=poll-live-votes]')].map(n => n.textContent).join() === '2,3,1,1'", "the live counts");
        await DashboardBrowser.WaitForAsync(dock, $"Number(document.querySelector('[data-testid=poll-countdown]').dataset.seconds) < {startedAt}", "the countdown to move");
        var running = (await PollPages.TextAsync(dock, "poll-total"), await PollPages.TextAsync(dock, "poll-countdown"));
        await PollPages.ScreenshotAsync(dock, "poll-dock-done-when-running.png");

        await PollPages.WaitForStateAsync(dock, "ended", TimeSpan.FromSeconds(90));
        var crowned = (await PollPages.TextAsync(dock, "poll-winner"), await dock.GetAttributeAsync("[data-testid=poll-live-option]:nth-child(2)", "class"));
        await PollPages.ScreenshotAsync(dock, "poll-dock-done-when-crowned.png");
        await PollPages.WaitAsync(overlay, "document.documentElement.dataset.pollState === 'ended'", "the overlay's result", Waits.Short);
        var onOverlay = await overlay.EvaluateAsync<string[]>(
            "() => [document.documentElement.dataset.pollWinners, ...[...document.querySelectorAll('#poll-options li[data-winner=true] .name')].map(n => n.textContent)]");
        await PollPages.ScreenshotAsync(overlay, "poll-overlay-done-when-crowned.png");
        var points = await TimelineRows.WaitForVotesAsync(_replica.Database, streamer.Id, moods.Length);
        var dashboard = await chromium.Browser.NewPageAsync();
        await dashboard.GotoAsync(new Uri(_replica.BaseAddress, "/dashboard").ToString());
        var listed = await dashboard.EvaluateAsync<string[]>("""
            () => { const item = document.querySelector('[data-testid=poll-result]');
                    return [item.dataset.status, item.querySelector('[data-testid=poll-result-winner]').textContent,
                            ...[...item.querySelectorAll('.poll-result-options li')].map(li => li.textContent.replace(/\s+/g, ' ').trim())]; }
            """);
        var timeline = await dashboard.EvaluateAsync<string?[]>($$"""
            () => { const chart = document.querySelector('[data-testid=timeline-chart]');
                    const band = chart?.querySelector('[data-testid=timeline-poll][data-poll-id="{{pollId}}"] title');
                    return [document.querySelector('[data-testid=poll-result]').dataset.pollId, chart?.dataset.points ?? null,
                            band?.textContent ?? null, chart?.querySelector('[data-testid=timeline-ratio]').getAttribute('d') ?? null]; }
            """);
        await PollPages.ScreenshotAsync(dashboard, "poll-dashboard-done-when-listed.png");

        Assert.InRange(startedAt, 50, 60);
        Assert.Matches(@"^0:[0-5]\d left$", running.Item2);
        Assert.Equal("7", running.Item1);
        Assert.Equal("Winner: Mirage", crowned.Item1);
        Assert.Contains("winner", crowned.Item2);
        Assert.Equal(["1", "Mirage"], onOverlay);
        Assert.Equal(["ended", "Winner: Mirage", "Dust 2 (29%)", "Mirage 3 (43%)", "Inferno 1 (14%)", "Nuke 1 (14%)"], listed);
        Assert.Equal(3, points.Sum(p => p.Votes)); // the mood votes only: poll votes are not points
        Assert.Equal(pollId, timeline[0]);
        var drawn = System.Text.Json.JsonSerializer.Deserialize<double[][]>(timeline[1] ?? "null");
        Assert.Equal(points.Count, drawn?.Length); // the chart is this stream's: every point drawn
        Assert.Equal(3, drawn!.Sum(p => p[3]));
        Assert.StartsWith("M", timeline[3]);
        Assert.Equal("Poll “Next map?” (ended, winner: Mirage)", timeline[2]);
    }
}

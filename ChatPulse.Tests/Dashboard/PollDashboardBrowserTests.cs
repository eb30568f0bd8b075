using AngleSharp.Dom;
using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;
using Microsoft.Playwright;

namespace ChatPulse.Tests.Dashboard;

/// <summary>
/// The dashboard's poll card in headless Chromium against the real poll API: starting a poll (option rows, default
/// triggers), the server's errors next to their fields, ending early, the results list with show again and dismiss.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PollDashboardBrowserTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    // A replica of its own: the browser's requests share one client address, and so the dashboard's rate limit.
    public async Task InitializeAsync() => _replica = await ApiInstance.StartAsync(fixture);

    public async Task DisposeAsync() => await _replica.DisposeAsync();

    [Fact]
    public async Task A_poll_started_on_the_dashboard_runs_ends_early_is_listed_and_is_shown_again_then_dismissed()
    {
        var (visitor, _) = await TwitchLogin.SignInNewStreamerAsync(_replica, "polldash");
        using var _ = visitor;
        await using var chromium = await HeadlessChromium.LaunchAsync(1280, 900);
        await DashboardBrowser.SignInAsync(chromium, visitor, _replica.BaseAddress);
        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_replica.BaseAddress, "/dashboard").ToString());

        await page.FillAsync("[data-testid=poll-question]", "Which snack next?");
        await page.FillAsync("[data-testid=poll-option-label-0]", "Chips");
        await page.FillAsync("[data-testid=poll-option-label-1]", "Popcorn");
        await page.ClickAsync("[data-testid=poll-add-option]");
        await page.FillAsync("[data-testid=poll-option-label-2]", "Nachos");
        var triggers = await page.EvaluateAsync<string[]>("() => [0, 1, 2].map(i => document.querySelector(`[data-testid=poll-option-triggers-${i}]`).value)");
        await page.SelectOptionAsync("[data-testid=poll-rule]", "last");
        await page.ClickAsync("[data-testid=poll-start]");
        await PollPages.WaitForStateAsync(page, "running");
        var countdown = await PollPages.TextAsync(page, "poll-countdown");
        var formShown = await page.IsVisibleAsync("[data-testid=poll-form]");
        var rows = await page.Locator("[data-testid=poll-live-option]").CountAsync();
        var rule = await page.TextContentAsync("[data-testid=poll-live] .poll-meta");
        await PollPages.ScreenshotAsync(page, "poll-dashboard-running.png");

        await page.ClickAsync("[data-testid=poll-end]");
        await PollPages.WaitForStateAsync(page, "ended");
        var winner = await PollPages.TextAsync(page, "poll-winner");
        await DashboardBrowser.WaitForAsync(page, "document.querySelector('[data-testid=poll-result]')?.dataset.status === 'ended'", "the result in the list");
        var listed = await page.TextContentAsync("[data-testid=poll-result]");
        await PollPages.ScreenshotAsync(page, "poll-dashboard-ended.png");

        await page.ClickAsync("[data-testid=poll-dismiss]");
        await PollPages.WaitForStateAsync(page, "none");
        var afterDismiss = await PollPages.CurrentAsync(visitor);
        await page.ClickAsync("[data-testid=poll-show]");
        await PollPages.WaitForStateAsync(page, "ended");
        var shownAgain = await PollPages.CurrentAsync(visitor);
        var server = await visitor.PageAsync("/dashboard"); // the list as the server renders it, without the script

        Assert.Equal(["1", "2", "3"], triggers);
        Assert.Equal("1:00 left", countdown);
        Assert.False(formShown, "the start form is hidden while a poll runs");
        Assert.Equal(3, rows);
        Assert.Contains("last vote counts", rule);
        Assert.Equal("No votes", winner);
        Assert.Contains("Which snack next?", listed);
        Assert.Null(afterDismiss);
        Assert.Equal("Which snack next?", shownAgain?.GetProperty("question").GetString());
        var results = server.QuerySelectorAll("[data-testid=poll-result]");
        Assert.Equal(("ended", "No votes"), (results.Single().GetAttribute("data-status"), results[0].QuerySelector("[data-testid=poll-result-winner]")?.TextContent));
        Assert.Equal(["Chips", "Popcorn", "Nachos"], results[0].QuerySelectorAll(".poll-result-options li > span:first-child").Select(s => s.TextContent));
    }

    [Fact]
    public async Task The_servers_errors_show_next_to_their_fields_with_what_was_typed_kept_and_the_rows_stay_between_2_and_6()
    {
        var (visitor, _) = await TwitchLogin.SignInNewStreamerAsync(_replica, "pollerr");
        using var _ = visitor;
        await using var chromium = await HeadlessChromium.LaunchAsync(1280, 900);
        await DashboardBrowser.SignInAsync(chromium, visitor, _replica.BaseAddress);
        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_replica.BaseAddress, "/dashboard").ToString());

        await page.FillAsync("[data-testid=poll-question]", "Rematch?");
        await page.FillAsync("[data-testid=poll-option-label-0]", "Sure");
        await page.FillAsync("[data-testid=poll-option-triggers-0]", "YES"); // the mood's "for" trigger
        await page.FillAsync("[data-testid=poll-option-label-1]", "Never");
        await page.FillAsync("[data-testid=poll-duration]", "10");
        await page.ClickAsync("[data-testid=poll-start]");
        await DashboardBrowser.WaitForAsync(page, "document.querySelector('#poll-duration').getAttribute('aria-invalid') === 'true'", "the errors");
        var errors = await page.EvaluateAsync<string[]>("""
            () => [document.querySelector('[data-testid=poll-option-triggers-0]').parentElement.querySelector('[data-error-for=triggers]'),
                   document.querySelector('[data-testid=poll-option-triggers-1]').parentElement.querySelector('[data-error-for=triggers]'),
                   document.querySelector('#poll-duration').parentElement.querySelector('[data-error-for=durationSeconds]'),
                   document.querySelector('[data-error-for=question]')].map(n => n.textContent)
            """);
        var kept = await page.EvaluateAsync<string[]>("() => ['poll-question', 'poll-option-label-0', 'poll-option-triggers-0', 'poll-duration'].map(t => document.querySelector(`[data-testid=${t}]`).value)");
        var invalid = await page.GetAttributeAsync("[data-testid=poll-option-triggers-0]", "aria-invalid");
        var state = await PollPages.StateAsync(page);
        await PollPages.ScreenshotAsync(page, "poll-dashboard-errors.png");

        for (var i = 0; i < 5; i++)
        {
            await page.ClickAsync("[data-testid=poll-add-option]", new PageClickOptions { Force = true }); // the fifth click is on a disabled button
        }

        var most = (await page.Locator("[data-poll-option]").CountAsync(), await page.IsDisabledAsync("[data-testid=poll-add-option]"),
            await page.InputValueAsync("[data-testid=poll-option-triggers-5]"));
        var removes = page.Locator("[data-poll-options] [data-poll-remove]");
        for (var i = 0; i < 4; i++)
        {
            await removes.Nth(0).ClickAsync();
        }

        var fewest = (await page.Locator("[data-poll-option]").CountAsync(), await removes.Nth(0).IsDisabledAsync(),
            await page.InputValueAsync("[data-testid=poll-option-label-0]"), await page.InputValueAsync("[data-testid=poll-option-triggers-1]"));

        Assert.Contains("mood", errors[0], StringComparison.OrdinalIgnoreCase);
        Assert.Equal("", errors[1]);
        Assert.Contains("15", errors[2]);
        Assert.Equal("", errors[3]);
        Assert.Equal(["Rematch?", "Sure", "YES", "10"], kept);
        Assert.Equal("true", invalid);
        Assert.Equal("none", state);
        Assert.Equal((6, true, "6"), most);
        // The first four rows went; the last two are renumbered, and a default trigger follows its row's number.
        Assert.Equal((2, true, "", "2"), fewest);
    }
}

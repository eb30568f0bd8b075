using ChatPulse.Tests.Dashboard;
using ChatPulse.Tests.Support;
using Microsoft.Playwright;

namespace ChatPulse.Tests.Timeline;

/// <summary>The timeline chart's hover in headless Chromium at dashboard width, on a replica of its own.</summary>
[Collection(AppHostCollection.Name)]
public sealed class TimelineBrowserTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.StartAsync(fixture);

    public async Task DisposeAsync() => await _replica.DisposeAsync();

    [Fact]
    public async Task Hovering_a_point_shows_its_time_and_numbers_and_the_arrow_keys_move_along_the_line()
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "hover");
        using var _ = visitor;
        var recorded = await TimelineStreams.RecordAsync(fixture, streamer.Id);
        await using var chromium = await HeadlessChromium.LaunchAsync(1280, 900);
        await DashboardBrowser.SignInAsync(chromium, visitor, _replica.BaseAddress);
        var page = await chromium.Browser.NewPageAsync();
        // A browser half an hour off UTC: a tip on the browser's clock would differ from the axis in hour and minute.
        var devtools = await page.Context.NewCDPSessionAsync(page);
        await devtools.SendAsync("Emulation.setTimezoneOverride", new Dictionary<string, object> { ["timezoneId"] = "Asia/Kolkata" });
        await page.GotoAsync(new Uri(_replica.BaseAddress, "/dashboard").ToString());
        var chart = page.Locator("[data-testid=timeline-chart]");
        await chart.ScrollIntoViewIfNeededAsync();
        var box = (await chart.BoundingBoxAsync())!;

        // The fourth point (3 for, 1 against) sits at x = 605 of the 800-wide view box.
        await chart.HoverAsync(new LocatorHoverOptions { Position = new Position { X = (float)(605.0 / 800 * box.Width), Y = box.Height / 2 } });
        await DashboardBrowser.WaitForAsync(page, "!document.querySelector('[data-testid=timeline-tip]').hidden", "the tip");
        var hovered = await page.TextContentAsync("[data-testid=timeline-tip]");
        var hoveredAt = await page.GetAttributeAsync("[data-testid=timeline-tip]", "data-at");
        var cursor = await page.GetAttributeAsync(".timeline-cursor", "x1");
        await page.Keyboard.PressAsync("Tab"); // away and back: the keyboard path
        await chart.FocusAsync();
        await page.Keyboard.PressAsync("ArrowLeft");
        var stepped = await page.TextContentAsync("[data-testid=timeline-tip]");
        await page.Mouse.MoveAsync(1, 1);
        await chart.BlurAsync();
        var hidden = await page.IsHiddenAsync("[data-testid=timeline-tip]");

        var pointAt = recorded.Latest.AddSeconds(30).UtcDateTime;
        Assert.Equal($"{pointAt:HH:mm:ss} UTC · for 3 · against 1 · 75 % for · 4 votes (0.4 /s)", hovered); // the axis's clock
        Assert.Equal(pointAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"), hoveredAt);
        Assert.Equal("605", cursor);
        Assert.Matches(@"· for 1 · against 3 · 25 % for · 2 votes \(0\.2 /s\)$", stepped);
        Assert.True(hidden);
    }
}

using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;
using Microsoft.Playwright;

namespace ChatPulse.Tests.Dashboard;

/// <summary>
/// <c>/dock</c> as an OBS Custom Browser Dock shows it: headless Chromium at 300×400 with the streamer's session
/// cookie; test votes through its buttons, the totals from the overlay socket.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DockBrowserTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(RepositoryPaths.Root, "TestResults", "screenshots");

    private readonly OverlayScenario _scenario = new(fixture);
    private ApiInstance _replica = null!;

    public async Task InitializeAsync()
    {
        // A replica of its own: the browser's page loads share one client address, and so the dashboard's rate limit.
        _replica = await ApiInstance.StartAsync(fixture);
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync() => await _replica.DisposeAsync();

    [Fact]
    public async Task At_300x400_the_dock_shows_the_totals_test_votes_move_them_reset_clears_them_and_nothing_overflows()
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "dock");
        using var _ = visitor;
        await _scenario.Store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with { ForLabel = "Hype", MemorySeconds = null }, default);
        await using var chromium = await HeadlessChromium.LaunchAsync(300, 400);
        await DashboardBrowser.SignInAsync(chromium, visitor, _replica.BaseAddress);
        var page = await chromium.Browser.NewPageAsync();

        await page.GotoAsync(new Uri(_replica.BaseAddress, "/dock").ToString());
        await DashboardBrowser.WaitForAsync(page, "document.querySelector('[data-testid=dock]').dataset.connection === 'open'", "the dock's socket");
        var empty = await page.TextContentAsync("[data-testid=dock-total-votes]");

        await page.ClickAsync("[data-testid=test-for]");
        await DashboardBrowser.WaitForAsync(page, "document.querySelector('[data-testid=dock-for-votes]').textContent === '10'", "10 test votes for");
        var forRatio = await page.EvaluateAsync<string>("document.querySelector('[data-testid=dock]').dataset.ratio");
        // Seconds after the dock connected (the live count sends each change within one): it keeps the channel watched, uncounted.
        var count = await page.TextContentAsync("[data-testid=overlay-count]");
        var counted = await page.TextContentAsync("[data-testid=test-votes-result]");
        await page.ClickAsync("[data-testid=test-against]");
        await DashboardBrowser.WaitForAsync(page, "document.querySelector('[data-testid=dock-against-votes]').textContent === '10'", "10 test votes against");
        var totals = (await page.TextContentAsync("[data-testid=dock-total-votes]"), await page.TextContentAsync("#dock-for-label"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dock-300x400.png"), FullPage = true });
        var overflows = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");

        await page.ClickAsync("[data-testid=reset]");
        await page.WaitForURLAsync(url => url.Contains("status=reset", StringComparison.Ordinal));
        await DashboardBrowser.WaitForAsync(page, "document.querySelector('[data-testid=dock]').dataset.connection === 'open' && "
            + "document.querySelector('[data-testid=dock-total-votes]').textContent === '0'", "the reset window");

        Assert.Equal("0", empty);
        Assert.Equal("0", count?.Trim());
        Assert.Equal("1.0000", forRatio);
        Assert.Equal("10 of 10 test votes counted.", counted);
        Assert.Equal(("20", "Hype"), totals);
        Assert.False(overflows, "the dock scrolls sideways at 300 px");
        Assert.Equal("/dashboard", await page.GetAttributeAsync("[data-testid=dashboard-link]", "href"));
        Assert.Contains("Votes cleared", await page.TextContentAsync("[data-testid=notice]"));
    }

    [Fact]
    public async Task The_dock_refuses_framing_and_sends_a_visitor_without_a_session_to_the_login()
    {
        var (visitor, _) = await TwitchLogin.SignInNewStreamerAsync(_replica, "dockframe");
        using var __ = visitor;
        using var anonymous = _replica.NewVisitor();

        using var dock = await visitor.GetAsync("/dock");
        using var signedOut = await anonymous.GetAsync("/dock");

        Assert.Equal(HttpStatusCode.OK, dock.StatusCode);
        Assert.Equal("DENY", string.Join(",", dock.Headers.GetValues("X-Frame-Options")));
        Assert.Contains("frame-ancestors 'none'", string.Join(",", dock.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Contains("/login?returnUrl=%2Fdock", signedOut.Headers.Location!.OriginalString);
    }
}

using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;
using Microsoft.Playwright;

namespace ChatPulse.Tests.Dashboard;

/// <summary>The dashboard's live parts in headless Chromium: the connected-overlay count and the test-vote buttons.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardLiveBrowserTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    // A replica of its own: the browser's page loads share one client address, and so the dashboard's rate limit.
    public async Task InitializeAsync() => _replica = await ApiInstance.StartAsync(fixture);

    public async Task DisposeAsync() => await _replica.DisposeAsync();

    [Fact]
    public async Task The_count_follows_an_overlay_on_another_replica_leaves_the_preview_out_and_test_votes_answer_in_a_line()
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "live");
        using var _ = visitor;
        await using var chromium = await HeadlessChromium.LaunchAsync(1280, 900);
        await DashboardBrowser.SignInAsync(chromium, visitor, _replica.BaseAddress);
        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_replica.BaseAddress, "/dashboard").ToString());
        var preview = (await (await page.QuerySelectorAsync("#preview"))!.ContentFrameAsync())!;
        // A function, not a bare expression: Playwright evals an expression in the page while polling, which its CSP refuses.
        await preview.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'open'");

        // The preview keeps the channel watched, so test votes count with no overlay in OBS.
        await page.ClickAsync("[data-testid=test-for]");
        await DashboardBrowser.WaitForAsync(page, "document.querySelector('[data-testid=test-votes-result]').dataset.status === '200'", "the answer");
        var counted = await page.TextContentAsync("[data-testid=test-votes-result]");

        var overlay = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId);
        await overlay.WaitForStateAsync(s => s.Long("forVotes") == 10, "the 10 test votes on the overlay");
        await DashboardBrowser.WaitForAsync(page, "document.querySelector('[data-testid=overlay-count]').textContent === '1'", "the overlay in the count");
        await overlay.DisposeAsync();
        // Back to 0 with the preview still open: it is not one of the overlays.
        await DashboardBrowser.WaitForAsync(page, "document.querySelector('[data-testid=overlay-count]').textContent === '0'", "the overlay to leave the count");

        Assert.Equal("10 of 10 test votes counted.", counted);
        Assert.Equal("open", await preview.EvaluateAsync<string>("document.documentElement.dataset.connection"));
    }
}

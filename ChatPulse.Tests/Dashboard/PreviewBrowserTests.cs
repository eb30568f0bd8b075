using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;
using Microsoft.Playwright;

namespace ChatPulse.Tests.Dashboard;

/// <summary>
/// The dashboard's live preview in headless Chromium: the streamer's real overlay page framed beside the form,
/// following edits before they are saved, at the chosen Browser Source size; the dashboard itself still refuses framing.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PreviewBrowserTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;
    private HeadlessChromium _chromium = null!;

    public async Task InitializeAsync()
    {
        // A replica of its own: the browser's page loads share one client address, and so the dashboard's rate limit.
        _replica = await ApiInstance.StartAsync(fixture);
        _chromium = await HeadlessChromium.LaunchAsync(1280, 900);
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _replica.DisposeAsync();
    }

    [Fact]
    public async Task The_preview_is_the_real_overlay_and_follows_unsaved_edits_at_the_chosen_size()
    {
        var page = await _chromium.Browser.NewPageAsync();
        var dashboard = await LogInAsync(page, TwitchLogin.NewLogin("preview"));
        Assert.Contains(await dashboard.HeaderValueAsync("x-frame-options"), new[] { "DENY", "SAMEORIGIN" }); // antiforgery sets the latter
        Assert.Contains("frame-ancestors 'none'", await dashboard.HeaderValueAsync("content-security-policy"));
        var overlayUrl = await page.InputValueAsync("[data-testid=overlay-url]");
        Assert.Equal(overlayUrl + "?preview=1", await page.GetAttributeAsync("#preview", "src")); // not counted as an overlay
        var preview = (await (await page.QuerySelectorAsync("#preview"))!.ContentFrameAsync())!;
        await WaitForAsync(preview, "document.documentElement.dataset.connection === 'open' && document.documentElement.dataset.ready === 'true'",
            "the framed overlay to connect");
        var store = new StreamerStore(_replica.Database);
        var streamer = (await store.GetByOverlayIdAsync(Guid.Parse(overlayUrl.Split('/')[^1]), default))!;

        await page.FillAsync("#Form_Style_ForColor", "#123456");
        await page.SelectOptionAsync("#Form_DisplayMode", "split");
        await page.FillAsync("#Form_ForLabel", "Hype");

        await WaitForAsync(preview, $"getComputedStyle(document.getElementById('split-for-fill')).backgroundColor === '{OverlayStyleBrowserTests.Rgb("#123456")}'",
            "the preview to take the typed colour");
        Assert.Equal("split", await preview.EvaluateAsync<string>("document.documentElement.dataset.mode"));
        Assert.Equal("Hype", await preview.EvaluateAsync<string>("document.getElementById('split-for-label').textContent"));
        Assert.Equal(OverlayConfiguration.Default, await store.GetConfigurationAsync(streamer.Id, default)); // nothing saved

        await page.FillAsync("#Form_Style_ForColor", "#12345"); // half typed: the preview keeps the saved colour
        await WaitForAsync(preview, $"getComputedStyle(document.getElementById('split-for-fill')).backgroundColor === '{OverlayStyleBrowserTests.Rgb(OverlayStyle.Default.ForColor)}'",
            "the preview to fall back to the saved colour");

        await page.FillAsync("#Form_ForTriggers", "\n W \nyes");  // unsaved trigger lists and the "type … or …" line
        await page.FillAsync("#Form_AgainstTriggers", "L");
        await page.CheckAsync("#Form_ShowTriggers");
        await WaitForAsync(preview, "document.getElementById('triggers').textContent === 'type W or L'", "the preview's triggers line");
        await page.UncheckAsync("#Form_ShowTriggers");
        await WaitForAsync(preview, "document.getElementById('triggers').hidden", "the preview's triggers line to go");

        await page.SelectOptionAsync("#Form_Theme", "light"); // the text colour follows the theme while it is the default
        Assert.Equal(OverlayStyle.LightText, await page.InputValueAsync("#Form_Style_TextColor"));
        await WaitForAsync(preview, $"document.documentElement.dataset.theme === 'light' && getComputedStyle(document.querySelector('.split .name')).color === '{OverlayStyleBrowserTests.Rgb(OverlayStyle.LightText)}'",
            "the preview in the light theme");

        await page.SelectOptionAsync("[data-testid=preview-size]", "1920x200");
        await WaitForAsync(preview, "window.innerWidth === 1920 && window.innerHeight === 200", "the preview at 1920×200");
        var box = (await (await page.QuerySelectorAsync("#preview"))!.BoundingBoxAsync())!;
        var stage = (await (await page.QuerySelectorAsync("[data-testid=preview-stage]"))!.BoundingBoxAsync())!;
        Assert.InRange(box.Width, stage.Width - 3, stage.Width + 1); // scaled to fit its card
        Assert.Equal(box.Width / 1920, box.Height / 200, precision: 2);

        await new OverlayScenario(fixture).PublishAsync(streamer, votesFor: 9, votesAgainst: 1);
        await WaitForAsync(preview, "document.documentElement.dataset.target === '0.9000'", "the preview to follow the votes");
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots"));
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", "dashboard-preview.png"), FullPage = true,
        });
    }

    private async Task<IResponse> LogInAsync(IPage page, string login)
    {
        await page.GotoAsync(new Uri(_replica.BaseAddress, "/").ToString());
        await page.ClickAsync("[data-testid=login]");
        await page.WaitForURLAsync(url => url.StartsWith(_replica.StandIn.ToString(), StringComparison.Ordinal));
        await page.FillAsync("input[name=new_login]", login);
        await page.ClickAsync("button[value=approve]");
        await page.WaitForURLAsync(url => url.EndsWith("/dashboard", StringComparison.Ordinal));
        return (await page.ReloadAsync())!;
    }

    private static async Task WaitForAsync(IFrame frame, string condition, string what)
    {
        try
        {
            await frame.WaitForFunctionAsync($"() => {{ try {{ return !!({condition}); }} catch {{ return false; }} }}", null,
                new FrameWaitForFunctionOptions { PollingInterval = 50, Timeout = (float)Waits.Short.TotalMilliseconds });
        }
        catch (PlaywrightException e) when (e.Message.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            throw new TimeoutException($"Timed out waiting for {what} ({condition}).", e);
        }
    }
}

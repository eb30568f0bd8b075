using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;
using Microsoft.Playwright;

namespace ChatPulse.Tests.Overlay;

/// <summary>The OBS page in headless Chromium as the overlay's browser tests open and capture it.</summary>
internal static class OverlayPages
{
    /// <summary>
    /// Opens the streamer's overlay page on <paramref name="baseAddress"/> with <paramref name="query"/>, running
    /// <paramref name="initScript"/> before the page's own scripts, and waits until it is connected and showing its first state.
    /// </summary>
    public static async Task<IPage> OpenAsync(HeadlessChromium chromium, Uri baseAddress, Streamer streamer, string query = "", string? initScript = null)
    {
        var page = await chromium.Browser.NewPageAsync();
        if (initScript is not null)
        {
            await page.AddInitScriptAsync(initScript);
        }

        await page.GotoAsync(new Uri(baseAddress, $"/overlay/{streamer.OverlayId}{query}").ToString());
        await OverlayBrowserTests.WaitForAsync(page, "document.documentElement.dataset.connection === 'open' && document.documentElement.dataset.ready === 'true'",
            "the overlay to connect and show its first state");
        return page;
    }

    /// <summary>As OBS composites it: the page's own transparent background, no browser backdrop.</summary>
    public static async Task ScreenshotAsync(IPage page, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name), OmitBackground = true });
    }
}

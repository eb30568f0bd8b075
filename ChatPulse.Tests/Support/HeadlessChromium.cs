using Microsoft.Playwright;

namespace ChatPulse.Tests.Support;

/// <summary>
/// Debian's headless Chromium (<c>/usr/bin/chromium</c>, installed by <c>.ci/run</c>) through Playwright's .NET
/// driver, which ships in the NuGet package; Playwright's own browser download is not used. One browser with a
/// fresh profile per instance, closed and its profile deleted on dispose.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private const float ActionTimeout = 20_000;

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private HeadlessChromium(IPlaywright playwright, IBrowserContext browser, string profile)
    {
        _playwright = playwright;
        Browser = browser;
        _profile = profile;
    }

    /// <summary>The browser's one context: its pages share cookies, like one person's browser.</summary>
    public IBrowserContext Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync(int width, int height)
    {
        var profile = Directory.CreateTempSubdirectory("chatpulse-chromium-").FullName;
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Timeout = 60_000,
                ViewportSize = new ViewportSize { Width = width, Height = height },
                Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--mute-audio"],
            });
            browser.SetDefaultTimeout(ActionTimeout);
            return new HeadlessChromium(playwright, browser, profile);
        }
        catch
        {
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a lock file for a moment; the temp folder is cleaned eventually.
        }
    }
}

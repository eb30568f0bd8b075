using ChatPulse.Tests.Support;
using Microsoft.Playwright;

namespace ChatPulse.Tests.Dashboard;

/// <summary>
/// A real headless Chromium (<see cref="HeadlessChromium"/>): log in through the stand-in, save a
/// configuration, reload and see it, copy the overlay URL; screenshots land in TestResults/screenshots.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class BrowserTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(RepositoryPaths.Root, "TestResults", "screenshots");

    private ApiInstance _replica = null!;
    private HeadlessChromium _chromium = null!;

    public async Task InitializeAsync()
    {
        // A replica of its own: the browser's page loads share one client address, and so the dashboard's rate limit.
        _replica = await ApiInstance.StartAsync(fixture);
        _chromium = await HeadlessChromium.LaunchAsync(1280, 900);
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _replica.DisposeAsync();
    }

    [Fact]
    public async Task A_streamer_logs_in_through_the_stand_in_saves_a_configuration_and_sees_it_after_a_reload()
    {
        var page = await _chromium.Browser.NewPageAsync();
        await LogInAsync(page, TwitchLogin.NewLogin("browser"));

        await page.FillAsync("#Form_ForTriggers", "W");
        await page.FillAsync("#Form_ForLabel", "Win");
        await page.FillAsync("#Form_AgainstTriggers", "L");
        await page.FillAsync("#Form_AgainstLabel", "Loss");
        await page.FillAsync("#Form_MemorySeconds", "45");
        await page.SelectOptionAsync("#Form_DisplayMode", "split");
        await page.SelectOptionAsync("#Form_Theme", "light");
        await page.ClickAsync("[data-testid=save]");
        await page.WaitForURLAsync(url => url.Contains("status=saved", StringComparison.Ordinal));
        await page.GotoAsync(new Uri(_replica.BaseAddress, "/dashboard").ToString());

        Assert.Equal("W", await page.InputValueAsync("#Form_ForTriggers"));
        Assert.Equal("Win", await page.InputValueAsync("#Form_ForLabel"));
        Assert.Equal("L", await page.InputValueAsync("#Form_AgainstTriggers"));
        Assert.Equal("Loss", await page.InputValueAsync("#Form_AgainstLabel"));
        Assert.Equal("45", await page.InputValueAsync("#Form_MemorySeconds"));
        Assert.Equal("split", await page.InputValueAsync("#Form_DisplayMode"));
        Assert.Equal("light", await page.InputValueAsync("#Form_Theme"));
        Assert.Equal("2", await page.TextContentAsync("[data-testid=version]"));
        Assert.Contains("/overlay/", await page.InputValueAsync("[data-testid=overlay-url]"));
        // The stylesheet loaded under the CSP (no inline styles): the topbar is laid out as a flex row.
        Assert.Equal("flex", await page.EvalOnSelectorAsync<string>(".topbar", "e => getComputedStyle(e).display"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-desktop.png"), FullPage = true });

        var lightBackground = await page.EvalOnSelectorAsync<string>("body", "e => getComputedStyle(e).backgroundColor");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        Assert.NotEqual(lightBackground, await page.EvalOnSelectorAsync<string>("body", "e => getComputedStyle(e).backgroundColor"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-dark.png"), FullPage = true });

        await page.SetViewportSizeAsync(390, 844); // a phone
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-phone.png"), FullPage = true });
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the dashboard scrolls sideways on a phone");
    }

    [Fact]
    public async Task The_copy_button_puts_the_overlay_url_on_the_clipboard()
    {
        await _chromium.Browser.GrantPermissionsAsync(["clipboard-read", "clipboard-write"],
            new BrowserContextGrantPermissionsOptions { Origin = _replica.BaseAddress.GetLeftPart(UriPartial.Authority) });
        var page = await _chromium.Browser.NewPageAsync();
        await LogInAsync(page, TwitchLogin.NewLogin("copier"));
        var overlayUrl = await page.InputValueAsync("[data-testid=overlay-url]");

        await page.ClickAsync("button[data-copy='#overlay-url']");
        var clipboard = "";
        await Waits.Until(async () => (clipboard = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()")).Length > 0,
            Waits.Short, "the clipboard to receive the overlay URL");

        Assert.Equal(overlayUrl, clipboard);
        Assert.StartsWith(new Uri(_replica.BaseAddress, "/overlay/").ToString(), clipboard);
    }

    /// <summary>Landing page → "Log in with Twitch" → the stand-in's consent page (a new user) → the dashboard.</summary>
    [Fact]
    public async Task A_streamer_edits_each_sides_triggers_as_a_list_and_a_duplicate_is_shown_next_to_its_box()
    {
        var page = await _chromium.Browser.NewPageAsync();
        await LogInAsync(page, TwitchLogin.NewLogin("lists"));

        await page.FillAsync("#Form_ForTriggers", "yes\nW\nKappa");
        await page.FillAsync("#Form_AgainstTriggers", "no\nL");
        await page.SelectOptionAsync("#Form_MatchMode", "any_word");
        await page.CheckAsync("#Form_ShowTriggers");
        await page.ClickAsync("[data-testid=save]");
        await page.WaitForURLAsync(url => url.Contains("status=saved", StringComparison.Ordinal));
        await page.GotoAsync(new Uri(_replica.BaseAddress, "/dashboard").ToString());

        Assert.Equal("yes\nW\nKappa", await page.InputValueAsync("#Form_ForTriggers"));
        Assert.Equal("no\nL", await page.InputValueAsync("#Form_AgainstTriggers"));
        Assert.Equal("any_word", await page.InputValueAsync("#Form_MatchMode"));
        Assert.True(await page.IsCheckedAsync("#Form_ShowTriggers"));

        await page.FillAsync("#Form_AgainstTriggers", "no\nL\nkappa");
        await page.ClickAsync("[data-testid=save]");

        await page.WaitForSelectorAsync("span[data-valmsg-for='Form.AgainstTriggers'].field-validation-error");
        Assert.Equal("“kappa” is on both sides: a trigger can count for one side only (case-insensitively).",
            (await page.TextContentAsync("span[data-valmsg-for='Form.AgainstTriggers']"))!.Trim());
        Assert.Equal("2", await page.TextContentAsync("[data-testid=version]")); // nothing saved
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-trigger-lists.png"), FullPage = true });
    }

    private async Task LogInAsync(IPage page, string login)
    {
        await page.GotoAsync(new Uri(_replica.BaseAddress, "/").ToString());
        await page.ClickAsync("[data-testid=login]");
        await page.WaitForURLAsync(url => url.StartsWith(_replica.StandIn.ToString(), StringComparison.Ordinal));
        await page.FillAsync("input[name=new_login]", login);
        await page.ClickAsync("button[value=approve]");
        await page.WaitForURLAsync(url => url.EndsWith("/dashboard", StringComparison.Ordinal));
    }
}

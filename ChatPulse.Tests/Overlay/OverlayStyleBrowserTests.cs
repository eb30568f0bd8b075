using System.Globalization;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;
using Microsoft.Playwright;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// The overlay's styles in headless Chromium, read by computed styles and geometry: each style in its saved colours,
/// the page at two Browser Source sizes, query-string overrides over the saved style, hide when idle and the accent.
/// Screenshots go to the test run's TestResults/screenshots.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class OverlayStyleBrowserTests(AppHostFixture fixture)
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    // Every visible element's box, as [left, top, right, bottom], and the window's size.
    private const string Boxes =
        "(() => [...document.querySelectorAll('main *')].filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')" +
        ".map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }))()";

    private static readonly OverlayStyle Painted = OverlayStyle.Default with
    {
        ForColor = "#1e88e5", AgainstColor = "#fdd835", TextColor = "#ff00ff", Font = OverlayFont.Serif, ShowVotes = true,
    };

    private readonly OverlayScenario _scenario = new(fixture);

    [Theory]
    [InlineData(DisplayMode.Combined, "bar")]
    [InlineData(DisplayMode.Split, "split")]
    [InlineData(DisplayMode.Ring, "ring")]
    public async Task Each_style_renders_in_the_saved_colours_and_font_at_the_votes_ratio(DisplayMode mode, string name)
    {
        var streamer = await NewStreamerAsync(OverlayConfiguration.Default with { DisplayMode = mode, MemorySeconds = null, Style = Painted });
        await using var chromium = await HeadlessChromium.LaunchAsync(800, 100);
        var page = await OpenAsync(chromium, streamer);

        await _scenario.PublishAsync(streamer, votesFor: 3, votesAgainst: 1);
        await OverlayBrowserTests.WaitForAsync(page, "document.documentElement.dataset.target === '0.7500' && !document.getAnimations().length",
            "the 3:1 state to be drawn");
        await Task.Delay(1500); // the easing's tail (time constant 180 ms) settles

        Assert.Equal(mode.ToString().ToLowerInvariant(), await page.EvaluateAsync<string>("document.documentElement.dataset.mode"));
        var text = await page.EvaluateAsync<string[]>(
            "(() => { const e = [...document.querySelectorAll('main section')].find(s => s.getClientRects().length).querySelector('.name'); " +
            "const s = getComputedStyle(e); return [s.color, s.fontFamily, e.textContent]; })()");
        Assert.Equal((Rgb(Painted.TextColor), "Yes"), (text[0], text[2]));
        Assert.Contains("Georgia", text[1]);
        if (mode == DisplayMode.Ring)
        {
            var ring = await page.EvaluateAsync<string[]>(
                "['ring-for', 'ring-against'].map(id => getComputedStyle(document.getElementById(id)).stroke)" +
                ".concat([getComputedStyle(document.getElementById('ring-for')).strokeDasharray])");
            Assert.Equal([Rgb(Painted.ForColor), Rgb(Painted.AgainstColor)], ring[..2]);
            Assert.Equal(75, double.Parse(ring[2].Split(',', ' ')[0].Replace("px", ""), CultureInfo.InvariantCulture), precision: 0);
            var donut = await page.EvaluateAsync<double[]>("(() => { const r = document.getElementById('ring').getBoundingClientRect(); return [r.width, r.height]; })()");
            Assert.InRange(donut[1], 80, 100); // as tall as the window allows, and round
            Assert.Equal(donut[0], donut[1], precision: 0);
        }
        else
        {
            var (fill, track) = mode == DisplayMode.Split ? ("split-for-fill", "split-for-track") : ("for-fill", "combined-track");
            var bar = await page.EvaluateAsync<string[]>(
                $"(() => {{ const f = document.getElementById('{fill}'), t = document.getElementById('{track}'); " +
                "return [getComputedStyle(f).backgroundColor, String(f.getBoundingClientRect().width / t.getBoundingClientRect().width)]; })()");
            Assert.Equal(Rgb(Painted.ForColor), bar[0]);
            Assert.Equal(0.75, double.Parse(bar[1], CultureInfo.InvariantCulture), precision: 2);
            var against = mode == DisplayMode.Split ? "split-against-fill" : "combined-track";
            Assert.Equal(Rgb(Painted.AgainstColor), await page.EvaluateAsync<string>($"getComputedStyle(document.getElementById('{against}')).backgroundColor"));
        }

        Assert.Contains("(3)", await page.EvaluateAsync<string>("document.querySelector('main').innerText")); // vote counts shown
        await ScreenshotAsync(page, $"overlay-style-{name}-800x100.png");
    }

    [Theory]
    [InlineData(800, 100)]
    [InlineData(1920, 200)]
    public async Task At_each_browser_source_size_every_style_fills_the_window_and_stays_inside_it(int width, int height)
    {
        var streamer = await NewStreamerAsync(OverlayConfiguration.Default with { Style = OverlayStyle.Default with { ShowVotes = true } });
        await using var chromium = await HeadlessChromium.LaunchAsync(width, height);
        foreach (var style in new[] { "bar", "split", "ring" })
        {
            var page = await OpenAsync(chromium, streamer, $"?style={style}");
            var boxes = await page.EvaluateAsync<double[][]>(Boxes);
            Assert.NotEmpty(boxes);
            Assert.All(boxes, box => Assert.True(box[0] >= -0.5 && box[1] >= -0.5 && box[2] <= width + 0.5 && box[3] <= height + 0.5,
                $"{style} at {width}×{height}: an element at [{string.Join(", ", box)}] leaves the window"));
            var extent = (Right: boxes.Max(b => b[2]) - boxes.Min(b => b[0]), Bottom: boxes.Max(b => b[3]) - boxes.Min(b => b[1]));
            Assert.True(extent.Bottom >= height * 0.6, $"{style} at {width}×{height} is {extent.Bottom} px tall: it does not grow with the window");
            if (style != "ring")
            {
                Assert.True(extent.Right >= width * 0.9, $"{style} at {width}×{height} is {extent.Right} px wide");
            }

            await ScreenshotAsync(page, $"overlay-{style}-{width}x{height}.png");
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task A_query_string_override_wins_over_the_saved_style_also_after_a_live_push_and_a_bad_one_is_ignored()
    {
        var saved = OverlayConfiguration.Default with { Style = Painted };
        var streamer = await NewStreamerAsync(saved);
        await using var chromium = await HeadlessChromium.LaunchAsync(800, 100);
        var page = await OpenAsync(chromium, streamer, "?style=ring&for=%2300c853&font=mono&text=magenta&radius=99");

        await AssertRingAsync(page, forColor: "#00c853", textColor: Painted.TextColor);
        Assert.Contains("monospace", await page.EvaluateAsync<string>("getComputedStyle(document.body).fontFamily"));

        // A save is pushed to the open page: the saved parts change, the overridden ones stay.
        await _scenario.Store.SaveConfigurationAsync(streamer.Id, saved with
        {
            Theme = OverlayTheme.Light, Style = Painted with { ForColor = "#000000", TextColor = "#00ffff" },
        }, default);
        await _scenario.Events.PublishAsync(new StreamerEvent(StreamerEventKind.ConfigurationChanged, streamer.TwitchUserId), default);
        await OverlayBrowserTests.WaitForAsync(page, "document.documentElement.dataset.theme === 'light'", "the pushed configuration");
        await AssertRingAsync(page, forColor: "#00c853", textColor: "#00ffff");
        Assert.Equal("30", await page.EvaluateAsync<string>("getComputedStyle(document.documentElement).getPropertyValue('--radius').trim()"));
    }

    [Fact]
    public async Task Hide_when_idle_fades_out_without_votes_and_in_again_with_an_accent_on_the_next_vote()
    {
        var streamer = await NewStreamerAsync(OverlayConfiguration.Default with
        {
            MemorySeconds = null, Style = OverlayStyle.Default with { HideWhenIdleSeconds = 2 },
        });
        await using var chromium = await HeadlessChromium.LaunchAsync(800, 100);
        var page = await OpenAsync(chromium, streamer);

        await OverlayBrowserTests.WaitForAsync(page, "getComputedStyle(document.querySelector('main')).opacity === '0'", "the idle page to fade out");
        Assert.Equal("true", await page.EvaluateAsync<string>("document.documentElement.dataset.asleep"));
        await _scenario.PublishAsync(streamer, votesFor: 1, votesAgainst: 0);

        await OverlayBrowserTests.WaitForAsync(page, "document.documentElement.dataset.accents === '1'", "the accent of the vote");
        await OverlayBrowserTests.WaitForAsync(page, "getComputedStyle(document.querySelector('main')).opacity === '1'", "the page to fade in");
        await OverlayBrowserTests.WaitForAsync(page, "document.documentElement.dataset.asleep === 'true'", "the page to fall asleep again");
    }

    private static async Task AssertRingAsync(IPage page, string forColor, string textColor)
    {
        Assert.Equal("ring", await page.EvaluateAsync<string>("document.documentElement.dataset.mode"));
        Assert.Equal(Rgb(forColor), await page.EvaluateAsync<string>("getComputedStyle(document.getElementById('ring-for')).stroke"));
        Assert.Equal(Rgb(textColor), await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.ring .name')).color"));
    }

    private async Task<Streamer> NewStreamerAsync(OverlayConfiguration configuration)
    {
        var streamer = await _scenario.NewStreamerAsync();
        await _scenario.Store.SaveConfigurationAsync(streamer.Id, configuration, default);
        return streamer;
    }

    private Task<IPage> OpenAsync(HeadlessChromium chromium, Streamer streamer, string query = "") =>
        OverlayPages.OpenAsync(chromium, fixture.ApiBaseAddress, streamer, query);

    private static Task ScreenshotAsync(IPage page, string name) => OverlayPages.ScreenshotAsync(page, Screenshots, name);

    /// <summary>"#1e88e5" as computed styles spell it: "rgb(30, 136, 229)".</summary>
    internal static string Rgb(string hex)
    {
        var value = Convert.FromHexString(hex.AsSpan(1));
        return $"rgb({value[0]}, {value[1]}, {value[2]})";
    }
}

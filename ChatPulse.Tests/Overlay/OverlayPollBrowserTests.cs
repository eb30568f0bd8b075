using System.Globalization;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Polls;
using ChatPulse.Tests.Support;
using Microsoft.Playwright;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// The overlay's poll view in headless Chromium: polls started, ended and dismissed through the real dashboard API,
/// chat votes through the real webhook; read by geometry and text. Screenshots go to TestResults/screenshots.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class OverlayPollBrowserTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private const string Options = "[...document.querySelectorAll('#poll-options .option')]";

    private const string Shares =
        Options + ".map(o => o.querySelector('.fill').getBoundingClientRect().width / o.querySelector('.poll-track').getBoundingClientRect().width)";

    private const string Settled = "!document.getAnimations().length";

    // The browser's clock ten minutes fast, as a streaming PC's may be: the countdown must come from the server's.
    private const string FastClock = "{ const now = Date.now.bind(Date); Date.now = () => now() + 600000; }";

    private readonly OverlayScenario _scenario = new(fixture);
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.SharedAsync(fixture);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_running_poll_draws_its_bars_counts_down_on_the_servers_clock_crowns_the_winner_then_gives_the_mood_bar_back()
    {
        var (polls, streamer) = await SignInAsync("pollview");
        await _scenario.Store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with { MemorySeconds = null }, default);
        await using var chromium = await HeadlessChromium.LaunchAsync(800, 100);
        var page = await OpenAsync(chromium, streamer, initScript: FastClock);

        var (status, _) = await polls.StartAsync(PollClient.Body("Which map?", options: 3, durationSeconds: 15, resultSeconds: 5));
        Assert.Equal(HttpStatusCode.Created, status);
        await OverlayBrowserTests.WaitForAsync(page, "document.documentElement.dataset.poll === 'shown'", "the poll to appear");
        var first = await page.EvaluateAsync<string>("document.getElementById('poll-clock').textContent");
        await _scenario.SayAsync(fixture.Api, streamer, "1", "1", "1", "2", "yes");
        await OverlayBrowserTests.WaitForAsync(page, $"document.getElementById('poll-total').textContent === '4 votes' && {Settled}", "the four poll votes");

        Assert.Equal("Which map?", await page.EvaluateAsync<string>("document.getElementById('poll-question').textContent"));
        var shares = await page.EvaluateAsync<double[]>(Shares);
        Assert.Equal([0.75, 0.25, 0], shares.Select(s => Math.Round(s, 2)));
        Assert.Equal(["75%", "25%", "0%"], await page.EvaluateAsync<string[]>(Options + ".map(o => o.querySelector('.percent').textContent)"));
        await OverlayBrowserTests.WaitForAsync(page, "document.getElementById('poll-mood-fill').getBoundingClientRect().width / " +
            "document.getElementById('poll-mood').getBoundingClientRect().width > 0.99", "the mood strip to count the 'yes' under the poll");
        await OverlayBrowserTests.WaitForAsync(page, $"document.getElementById('poll-clock').textContent !== '{first}'", "the countdown to move");
        var later = await page.EvaluateAsync<string>("document.getElementById('poll-clock').textContent");
        Assert.InRange(Seconds(first), 1, 15);
        Assert.InRange(Seconds(later), 0, Seconds(first) - 1);
        await ScreenshotAsync(page, "overlay-poll-running-800x100.png");

        await OverlayBrowserTests.WaitForAsync(page, $"document.documentElement.dataset.pollState === 'ended' && {Settled}", "the countdown's end", TimeSpan.FromSeconds(30));
        Assert.Equal(["true", "false", "false"], await page.EvaluateAsync<string[]>(Options + ".map(o => o.dataset.winner)"));
        Assert.Equal("final", await page.EvaluateAsync<string>("document.getElementById('poll-clock').textContent"));
        await ScreenshotAsync(page, "overlay-poll-winner-800x100.png");

        await OverlayBrowserTests.WaitForAsync(page, "document.documentElement.dataset.poll === 'hidden'", "the result to leave", TimeSpan.FromSeconds(15));
        Assert.True(await page.EvaluateAsync<bool>("document.getElementById('combined-track').getClientRects().length > 0"));
        Assert.False(await page.EvaluateAsync<bool>("document.getElementById('poll').getClientRects().length > 0"));
        await OverlayBrowserTests.WaitForAsync(page, "document.getElementById('for-fill').getBoundingClientRect().width / " +
            "document.getElementById('combined-track').getBoundingClientRect().width > 0.99", "the mood bar with its live value");
    }

    [Theory]
    [InlineData(800, 100)]
    [InlineData(1920, 200)]
    public async Task A_six_option_poll_stays_inside_the_window_in_every_style_in_distinct_colours(int width, int height)
    {
        var (polls, streamer) = await SignInAsync("pollsize");
        await _scenario.Store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with
        {
            ShowTriggers = true, Style = OverlayStyle.Default with { ShowVotes = true, ForColor = "#1e88e5", AgainstColor = "#fdd835" },
        }, default);
        var labels = string.Join(",", Enumerable.Range(1, 6).Select(i => $$"""{"label":"{{new string((char)('a' + i), 20)}} option {{i}}"}"""));
        var (status, _) = await polls.StartRawAsync($$"""
            {"question":"{{new string('Q', 120)}}","options":[{{labels}}],"durationSeconds":900,"rule":"last","resultSeconds":15}
            """);
        Assert.Equal(HttpStatusCode.Created, status);
        await using var chromium = await HeadlessChromium.LaunchAsync(width, height);

        foreach (var style in new[] { "bar", "split", "ring" })
        {
            var page = await OpenAsync(chromium, streamer, $"?style={style}");
            await OverlayBrowserTests.WaitForAsync(page, "document.documentElement.dataset.poll === 'shown'", "the poll");
            var boxes = await page.EvaluateAsync<double[][]>(
                "[...document.querySelectorAll('body *')].filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')" +
                ".map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })");
            Assert.All(boxes, box => Assert.True(box[0] >= -0.5 && box[1] >= -0.5 && box[2] <= width + 0.5 && box[3] <= height + 0.5,
                $"{style} at {width}×{height}: an element at [{string.Join(", ", box)}] leaves the window"));
            Assert.Equal(6, await page.EvaluateAsync<int>(Options + ".filter(o => o.getClientRects().length > 0).length"));
            Assert.False(await page.EvaluateAsync<bool>("document.getElementById('triggers').getClientRects().length > 0")); // the mood's line

            var colours = await page.EvaluateAsync<string[]>(Options + ".map(o => getComputedStyle(o.querySelector('.fill')).backgroundColor)");
            Assert.Equal([OverlayStyleBrowserTests.Rgb("#1e88e5"), OverlayStyleBrowserTests.Rgb("#fdd835")], colours[..2]);
            Assert.Equal(6, colours.Distinct().Count());
            await ScreenshotAsync(page, $"overlay-poll-{style}-{width}x{height}.png");
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task An_open_polls_tie_crowns_both_winners_the_result_stays_until_dismissed_and_poll_0_never_shows_it()
    {
        var (polls, streamer) = await SignInAsync("polltie");
        await using var chromium = await HeadlessChromium.LaunchAsync(800, 100);
        var page = await OpenAsync(chromium, streamer);
        var hidden = await OpenAsync(chromium, streamer, "?poll=0");

        var (_, poll) = await polls.StartAsync(PollClient.Body("Tie?", options: 2, durationSeconds: null, resultSeconds: null));
        await _scenario.SayAsync(fixture.Api, streamer, "1", "2");
        await OverlayBrowserTests.WaitForAsync(page, "document.getElementById('poll-total').textContent === '2 votes'", "the two votes");
        Assert.Equal("", await page.EvaluateAsync<string>("document.getElementById('poll-clock').textContent")); // open: no countdown
        var (ended, _) = await polls.EndAsync(poll.GetProperty("id").GetString()!);
        Assert.Equal(HttpStatusCode.OK, ended);
        await OverlayBrowserTests.WaitForAsync(page, $"document.documentElement.dataset.pollState === 'ended' && {Settled}", "the end");

        Assert.Equal(["true", "true"], await page.EvaluateAsync<string[]>(Options + ".map(o => o.dataset.winner)"));
        await ScreenshotAsync(page, "overlay-poll-tie-800x100.png");
        await Task.Delay(TimeSpan.FromSeconds(2)); // no showUntil: nothing takes it away by time
        Assert.Equal("shown", await page.EvaluateAsync<string>("document.documentElement.dataset.poll"));
        Assert.Equal("hidden", await hidden.EvaluateAsync<string>("document.documentElement.dataset.poll"));
        Assert.True(await hidden.EvaluateAsync<bool>("document.getElementById('combined-track').getClientRects().length > 0"));

        var (dismissed, _) = await polls.DismissAsync();
        Assert.Equal(HttpStatusCode.NoContent, dismissed);
        await OverlayBrowserTests.WaitForAsync(page, "document.documentElement.dataset.poll === 'hidden'", "the dismissal");
    }

    private static int Seconds(string clock) => clock.Split(':') is [var m, var s] && clock.Length == 5
        ? int.Parse(m, CultureInfo.InvariantCulture) * 60 + int.Parse(s, CultureInfo.InvariantCulture)
        : throw new FormatException($"'{clock}' is not mm:ss");

    private async Task<(PollClient Polls, Streamer Streamer)> SignInAsync(string prefix)
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, prefix);
        return (await PollClient.ForAsync(visitor), streamer);
    }

    private Task<IPage> OpenAsync(HeadlessChromium chromium, Streamer streamer, string query = "", string? initScript = null) =>
        OverlayPages.OpenAsync(chromium, fixture.ApiBaseAddress, streamer, query, initScript);

    private static Task ScreenshotAsync(IPage page, string name) => OverlayPages.ScreenshotAsync(page, Screenshots, name);
}

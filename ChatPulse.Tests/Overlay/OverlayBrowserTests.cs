using System.Diagnostics;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;
using Microsoft.Playwright;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// The OBS page in Debian's headless Chromium (Playwright) at an OBS Browser Source's size, read by its geometry;
/// votes come through the webhook, as from Twitch. Screenshots keep the transparent background OBS composites.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class OverlayBrowserTests(AppHostFixture fixture)
{
    private const string CombinedRatio =
        "(() => { const r = id => document.getElementById(id).getBoundingClientRect(); return r('for-fill').width / r('combined-track').width; })()";

    private const string SplitRatios =
        "(() => { const r = id => document.getElementById(id).getBoundingClientRect(); " +
        "return [r('split-for-fill').width / r('split-for-track').width, r('split-against-fill').width / r('split-against-track').width]; })()";

    // Counts the sockets the page opens, to see that it reconnects, or that it does not.
    private const string CountSockets =
        "window.socketsOpened = 0; window.WebSocket = new Proxy(window.WebSocket, { construct(target, args) { window.socketsOpened++; return new target(...args); } });";

    // Records the delays the page's reconnects ask of setTimeout (setTimeout(connect, …)), to read its back-off schedule.
    private const string RecordTimeouts =
        "window.timeouts = []; const setTimeoutOriginal = window.setTimeout; " +
        "window.setTimeout = (f, ms, ...rest) => { if (f && f.name === 'connect') window.timeouts.push(ms); return setTimeoutOriginal(f, ms, ...rest); };";

    private static readonly string Screenshots = Path.Combine(RepositoryPaths.Root, "TestResults", "overlay");

    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task The_bar_eases_toward_each_new_ratio_follows_a_saved_configuration_and_stops_on_rotation()
    {
        var streamer = await _scenario.NewStreamerAsync();
        var keepVotes = OverlayConfiguration.Default with { MemorySeconds = null }; // no vote leaves the window mid-test
        await _scenario.Store.SaveConfigurationAsync(streamer.Id, keepVotes, default);
        await using var chromium = await HeadlessChromium.LaunchAsync(800, 100);
        var page = await OpenOverlayAsync(chromium, fixture.ApiBaseAddress, streamer);
        Assert.Equal("rgba(0, 0, 0, 0)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        Assert.Equal(0.5, await page.EvaluateAsync<double>(CombinedRatio), precision: 2);

        // Chat votes, as Twitch delivers them to the webhook: 8 "yes", 2 "no"; the bar is watched from the first.
        var sampling = SampleUntilAsync(page, ratio => ratio >= 0.795);
        await _scenario.VoteAsync(fixture.Api, streamer, votesFor: 8, votesAgainst: 2);
        var samples = await sampling; // how fast is for the load tool to measure (no timed assertions); here, that it gets there
        Assert.Contains(samples, ratio => ratio is > 0.52 and < 0.77); // eased through, not jumped
        Assert.True(samples.Zip(samples.Skip(1)).All(pair => pair.Second >= pair.First - 0.001), "the bar only moved toward 'for'");
        await ScreenshotAsync(page, "overlay-combined-dark-80-20.png");

        await _scenario.VoteAsync(fixture.Api, streamer, votesFor: 0, votesAgainst: 70); // 8 for, 72 against
        await WaitForAsync(page, $"{CombinedRatio} <= 0.105", "the bar to move toward 'against'");

        await _scenario.Store.SaveConfigurationAsync(streamer.Id, keepVotes with
        {
            ForLabel = "Hype", AgainstLabel = "Cringe", DisplayMode = DisplayMode.Split, Theme = OverlayTheme.Light,
        }, default);
        await _scenario.Events.PublishAsync(new StreamerEvent(StreamerEventKind.ConfigurationChanged, streamer.TwitchUserId), default);
        await WaitForAsync(page, "document.documentElement.dataset.mode === 'split' && document.getElementById('split-for-label').textContent === 'Hype'",
            "the split mode and new labels", TimeSpan.FromSeconds(3));
        var split = await page.EvaluateAsync<double[]>(SplitRatios);
        Assert.Equal(0.1, split[0], precision: 2);
        Assert.Equal(0.9, split[1], precision: 2);
        Assert.Equal("light", await page.EvaluateAsync<string>("document.documentElement.dataset.theme"));
        await ScreenshotAsync(page, "overlay-split-light-10-90.png");

        await _scenario.Store.RotateOverlayIdAsync(streamer.Id, default);
        await _scenario.Events.PublishAsync(new StreamerEvent(StreamerEventKind.OverlayRotated, streamer.TwitchUserId, streamer.OverlayId), default);
        await WaitForAsync(page, "document.documentElement.dataset.connection === 'gone'", "the page to give up on the rotated id");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, await page.EvaluateAsync<int>("window.socketsOpened"));
    }

    [Fact]
    public async Task After_a_deploy_closes_its_socket_with_1001_the_page_reconnects_by_itself_and_shows_the_state()
    {
        var streamer = await _scenario.NewStreamerAsync();
        var environment = fixture.SharedApiEnvironment();
        await using var chromium = await HeadlessChromium.LaunchAsync(800, 100);
        IPage page;
        int port;
        await using (var old = ApiInstance.Start(environment))
        {
            await old.WaitUntilReadyAsync();
            port = old.BaseAddress.Port;
            page = await OpenOverlayAsync(chromium, old.BaseAddress, streamer);
            old.Terminate();
            await WaitForAsync(page, "document.documentElement.dataset.connection === 'reconnecting'", "the page to notice the shutdown");
            Assert.Equal(0, await old.WaitForExitAsync(Waits.Short));
        }

        await using var replacement = await ApiInstance.StartAsync(environment, port); // the same address, as behind a load balancer
        await WaitForAsync(page, "document.documentElement.dataset.connection === 'open'", "the page to reconnect", TimeSpan.FromSeconds(40));
        await _scenario.VoteAsync(fixture.Api, streamer, votesFor: 0, votesAgainst: 5); // ingested by the AppHost's replica

        await WaitForAsync(page, $"{CombinedRatio} <= 0.005", "the bar to follow votes after reconnecting");
        Assert.True(await page.EvaluateAsync<int>("window.socketsOpened") >= 2);
    }

    [Fact]
    public async Task A_page_whose_handshake_is_refused_backs_off_exponentially_with_jitter()
    {
        var environment = fixture.SharedApiEnvironment();
        environment["MAX_OVERLAY_SOCKETS_PER_ID"] = "1"; // the test's socket holds it: the page's are refused (429)
        await using var replica = await ApiInstance.StartAsync(environment);
        var streamer = await _scenario.NewStreamerAsync();
        await using var holder = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        await holder.NextStateAsync();
        await using var chromium = await HeadlessChromium.LaunchAsync(800, 100);
        var page = await chromium.Browser.NewPageAsync();
        await page.AddInitScriptAsync(RecordTimeouts);

        await page.GotoAsync(new Uri(replica.BaseAddress, $"/overlay/{streamer.OverlayId}").ToString());
        await WaitForAsync(page, "window.timeouts.length >= 4", "four refused handshakes", TimeSpan.FromSeconds(40));

        var delays = await page.EvaluateAsync<double[]>("window.timeouts.slice(0, 4)");
        for (var attempt = 0; attempt < delays.Length; attempt++)
        {
            var step = 1000 * Math.Pow(2, attempt); // 1 s, 2 s, 4 s, 8 s, each jittered to 50–150 %
            Assert.InRange(delays[attempt], step * 0.5, step * 1.5);
        }

        Assert.Equal("reconnecting", await page.EvaluateAsync<string>("document.documentElement.dataset.connection"));
    }

    [Fact]
    public async Task The_triggers_line_shows_the_first_trigger_of_each_side_once_turned_on_and_the_bar_keeps_within_the_page()
    {
        var streamer = await _scenario.NewStreamerAsync();
        await using var chromium = await HeadlessChromium.LaunchAsync(800, 100);
        var page = await OpenOverlayAsync(chromium, fixture.ApiBaseAddress, streamer);
        Assert.True(await page.EvaluateAsync<bool>("document.getElementById('triggers').hidden"));

        await _scenario.Store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with
        {
            ForTriggers = ["W", "yes"], AgainstTriggers = ["L", "no"], ShowTriggers = true,
        }, default);
        await _scenario.Events.PublishAsync(new StreamerEvent(StreamerEventKind.ConfigurationChanged, streamer.TwitchUserId), default);
        await WaitForAsync(page, "document.getElementById('triggers').textContent === 'type W or L'", "the triggers line", TimeSpan.FromSeconds(3));

        var g = await page.EvaluateAsync<double[]>(
            "(() => { const r = id => document.getElementById(id).getBoundingClientRect(); " +
            "return [r('triggers').top, r('triggers').bottom, r('combined-track').bottom, innerHeight]; })()");
        Assert.True(g[1] <= g[3] && g[2] <= g[0] && g[0] < g[1], $"line {g[0]}–{g[1]}, bar to {g[2]}, page {g[3]}");
        await ScreenshotAsync(page, "overlay-triggers-line.png");
    }

    [Fact]
    public async Task The_triggers_line_follows_its_url_overrides_over_the_saved_setting()
    {
        var streamer = await _scenario.NewStreamerAsync();
        await _scenario.Store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with
        {
            ForTriggers = ["yes"], AgainstTriggers = ["no"], ShowTriggers = false,
        }, default);
        await using var chromium = await HeadlessChromium.LaunchAsync(800, 100);

        var shown = await OpenOverlayAsync(chromium, fixture.ApiBaseAddress, streamer, "?triggers=on&forTrigger=W&againstTrigger=L");
        var hidden = await OpenOverlayAsync(chromium, fixture.ApiBaseAddress, streamer, "?triggers=nonsense");

        Assert.Equal("type W or L", await shown.EvaluateAsync<string>("document.getElementById('triggers').textContent"));
        Assert.True(await hidden.EvaluateAsync<bool>("document.getElementById('triggers').hidden")); // ignored: the saved "off" stands
    }

    private static Task<IPage> OpenOverlayAsync(HeadlessChromium chromium, Uri baseAddress, Streamer streamer, string query = "") =>
        OverlayPages.OpenAsync(chromium, baseAddress, streamer, query, CountSockets);

    // False, not an error, while the page is still loading.
    internal static async Task WaitForAsync(IPage page, string condition, string what, TimeSpan? timeout = null)
    {
        try
        {
            await page.WaitForFunctionAsync($"() => {{ try {{ return !!({condition}); }} catch {{ return false; }} }}", null,
                new PageWaitForFunctionOptions { PollingInterval = 50, Timeout = (float)(timeout ?? Waits.Short).TotalMilliseconds });
        }
        catch (PlaywrightException e) when (e.Message.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            throw new TimeoutException($"Timed out waiting for {what} ({condition}).", e);
        }
    }

    private static Task ScreenshotAsync(IPage page, string name) => OverlayPages.ScreenshotAsync(page, Screenshots, name);

    private static async Task<List<double>> SampleUntilAsync(IPage page, Func<double, bool> done)
    {
        var samples = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Waits.Short)
        {
            samples.Add(await page.EvaluateAsync<double>(CombinedRatio));
            if (done(samples[^1]))
            {
                return samples;
            }

            await Task.Delay(15);
        }

        throw new TimeoutException($"The bar never got there; last ratios {string.Join(", ", samples.TakeLast(5))}.");
    }
}

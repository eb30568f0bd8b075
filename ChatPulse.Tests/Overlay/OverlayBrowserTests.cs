using System.Diagnostics;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// The OBS page in Debian's headless Chromium at an OBS Browser Source's size, read by its geometry; votes come
/// through the webhook, as from Twitch.
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

    private static readonly string Screenshots = Path.Combine(RepositoryPaths.Root, "TestResults", "overlay");

    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task The_bar_eases_toward_each_new_ratio_follows_a_saved_configuration_and_stops_on_rotation()
    {
        var streamer = await _scenario.NewStreamerAsync();
        var keepVotes = OverlayConfiguration.Default with { MemorySeconds = null }; // no vote leaves the window mid-test
        await _scenario.Store.SaveConfigurationAsync(streamer.Id, keepVotes, default);
        await using var chromium = await OpenOverlayAsync(fixture.ApiBaseAddress, streamer);
        Assert.Equal("rgba(0, 0, 0, 0)", (await chromium.EvaluateAsync("getComputedStyle(document.body).backgroundColor")).GetString());
        Assert.Equal(0.5, (await chromium.EvaluateAsync(CombinedRatio)).GetDouble(), precision: 2);

        // Chat votes, as Twitch delivers them to the webhook: 8 "yes", 2 "no".
        await _scenario.VoteAsync(fixture.Api, streamer, votesFor: 8, votesAgainst: 2);
        var (samples, elapsed) = await SampleUntilAsync(chromium, ratio => ratio >= 0.795);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"the bar took {elapsed.TotalMilliseconds:0} ms to move");
        Assert.Contains(samples, ratio => ratio is > 0.52 and < 0.77); // eased through, not jumped
        Assert.True(samples.Zip(samples.Skip(1)).All(pair => pair.Second >= pair.First - 0.001), "the bar only moved toward 'for'");
        await chromium.SaveScreenshotAsync(Path.Combine(Screenshots, "overlay-combined-dark-80-20.png"));

        await _scenario.VoteAsync(fixture.Api, streamer, votesFor: 0, votesAgainst: 70); // 8 for, 72 against
        await chromium.WaitForAsync($"{CombinedRatio} <= 0.105", "the bar to move toward 'against'");

        await _scenario.Store.SaveConfigurationAsync(streamer.Id, keepVotes with
        {
            ForLabel = "Hype", AgainstLabel = "Cringe", DisplayMode = DisplayMode.Split, Theme = OverlayTheme.Light,
        }, default);
        await _scenario.Events.PublishAsync(new StreamerEvent(StreamerEventKind.ConfigurationChanged, streamer.TwitchUserId), default);
        await chromium.WaitForAsync("document.documentElement.dataset.mode === 'split' && document.getElementById('split-for-label').textContent === 'Hype'",
            "the split mode and new labels", TimeSpan.FromSeconds(3));
        var split = await chromium.EvaluateAsync(SplitRatios);
        Assert.Equal(0.1, split[0].GetDouble(), precision: 2);
        Assert.Equal(0.9, split[1].GetDouble(), precision: 2);
        Assert.Equal("light", (await chromium.EvaluateAsync("document.documentElement.dataset.theme")).GetString());
        await chromium.SaveScreenshotAsync(Path.Combine(Screenshots, "overlay-split-light-10-90.png"));

        await _scenario.Store.RotateOverlayIdAsync(streamer.Id, default);
        await _scenario.Events.PublishAsync(new StreamerEvent(StreamerEventKind.OverlayRotated, streamer.TwitchUserId, streamer.OverlayId), default);
        await chromium.WaitForAsync("document.documentElement.dataset.connection === 'gone'", "the page to give up on the rotated id");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, (await chromium.EvaluateAsync("window.socketsOpened")).GetInt32());
    }

    [Fact]
    public async Task After_a_deploy_closes_its_socket_with_1001_the_page_reconnects_by_itself_and_shows_the_state()
    {
        var streamer = await _scenario.NewStreamerAsync();
        var environment = fixture.SharedApiEnvironment();
        var port = 0;
        await using var chromium = await WithReplicaAsync(environment, async old =>
        {
            port = old.BaseAddress.Port;
            var page = await OpenOverlayAsync(old.BaseAddress, streamer);
            try
            {
                old.Terminate();
                await page.WaitForAsync("document.documentElement.dataset.connection === 'reconnecting'", "the page to notice the shutdown");
                Assert.Equal(0, await old.WaitForExitAsync(Waits.Short));
                return page;
            }
            catch
            {
                await page.DisposeAsync();
                throw;
            }
        });
        await using var replacement = ApiInstance.Start(environment, port); // the same address, as behind a load balancer
        await replacement.WaitUntilReadyAsync();
        await chromium.WaitForAsync("document.documentElement.dataset.connection === 'open'", "the page to reconnect", TimeSpan.FromSeconds(40));
        await _scenario.VoteAsync(fixture.Api, streamer, votesFor: 0, votesAgainst: 5); // ingested by the AppHost's replica

        await chromium.WaitForAsync($"{CombinedRatio} <= 0.005", "the bar to follow votes after reconnecting");
        Assert.True((await chromium.EvaluateAsync("window.socketsOpened")).GetInt32() >= 2);
    }

    private static async Task<Chromium> OpenOverlayAsync(Uri baseAddress, Streamer streamer)
    {
        var chromium = await Chromium.LaunchAsync();
        try
        {
            await chromium.SendAsync("Emulation.setDeviceMetricsOverride", new { width = 800, height = 100, deviceScaleFactor = 1, mobile = false });
            await chromium.SendAsync("Emulation.setDefaultBackgroundColorOverride", new { color = new { r = 0, g = 0, b = 0, a = 0 } }); // as OBS composites it
            await chromium.SendAsync("Page.addScriptToEvaluateOnNewDocument", new { source = CountSockets });
            await chromium.SendAsync("Page.navigate", new { url = new Uri(baseAddress, $"/overlay/{streamer.OverlayId}").ToString() });
            await chromium.WaitForAsync("document.documentElement.dataset.connection === 'open' && document.documentElement.dataset.ready === 'true'",
                "the overlay to connect and show its first state");
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    // Runs a replica for the duration of one step and always disposes it.
    private static async Task<T> WithReplicaAsync<T>(IReadOnlyDictionary<string, string> environment, Func<ApiInstance, Task<T>> step)
    {
        await using var replica = ApiInstance.Start(environment);
        await replica.WaitUntilReadyAsync();
        return await step(replica);
    }

    private static async Task<(List<double> Samples, TimeSpan Elapsed)> SampleUntilAsync(Chromium chromium, Func<double, bool> done)
    {
        var samples = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Waits.Short)
        {
            samples.Add((await chromium.EvaluateAsync(CombinedRatio)).GetDouble());
            if (done(samples[^1]))
            {
                return (samples, clock.Elapsed);
            }

            await Task.Delay(15);
        }

        throw new TimeoutException($"The bar never got there; last ratios {string.Join(", ", samples.TakeLast(5))}.");
    }
}

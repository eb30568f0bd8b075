using System.Diagnostics;
using ChatPulse.Api.Overlay;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

[Collection(AppHostCollection.Name)]
public sealed class OverlayCoalescingTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task A_burst_of_1000_snapshots_over_a_second_reaches_a_socket_as_at_most_one_frame_per_interval_ending_on_the_last_state()
    {
        const int burst = 1000;
        var streamer = await _scenario.NewStreamerAsync();
        await using var client = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId);
        await client.NextStateAsync();
        var before = client.StatesReceived;

        // Paced over at least one second, as a chat flood would arrive: 10 every 10 ms, each state unique (for = i).
        // Not awaited one by one: one connection keeps them in order, and awaiting each would stretch the second.
        var published = new List<Task<long>>();
        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= burst; i++)
        {
            published.Add(_scenario.PublishAsync(streamer, votesFor: i, votesAgainst: 7));
            if (i % 10 == 0 && clock.Elapsed < TimeSpan.FromMilliseconds(i))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(i) - clock.Elapsed);
            }
        }

        await Task.WhenAll(published).WaitAsync(Waits.Short);
        var last = await client.WaitForStateAsync(s => s.Long("forVotes") == burst, "the last state");
        var elapsed = clock.Elapsed; // a noisy machine stretches this; the bound below stretches with it
        var frames = client.StatesReceived - before;
        await Task.Delay(500);

        var atMost = (int)Math.Ceiling(elapsed / OverlayProtocol.FrameInterval) + 1;
        Assert.InRange(frames, 5, atMost); // one per 50 ms (20 a second), and not starved either
        Assert.Equal(before + frames, client.StatesReceived); // nothing follows the last state
        Assert.Equal((7L, burst + 7L), (last.Long("againstVotes"), last.Long("totalVotes")));
    }
}

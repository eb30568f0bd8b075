using System.Diagnostics;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

[Collection(AppHostCollection.Name)]
public sealed class OverlayCoalescingTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task A_burst_of_1000_snapshots_in_one_second_reaches_a_socket_as_at_most_25_frames_ending_on_the_last_state()
    {
        const int burst = 1000;
        var streamer = await _scenario.NewStreamerAsync();
        await using var client = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId);
        await client.NextStateAsync();
        var before = client.StatesReceived;

        // Paced over one second, as a chat flood would arrive: 10 every 10 ms, each state unique (for = i).
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
        var publishTime = clock.Elapsed;
        var last = await client.WaitForStateAsync(s => s.Long("forVotes") == burst, "the last state");
        await Task.Delay(500); // nothing may follow the last state
        var frames = client.StatesReceived - before;

        Assert.InRange(publishTime, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(1.25));
        Assert.InRange(frames, 5, 25); // ~20 per second, and not starved either
        Assert.Equal(before + frames, client.StatesReceived);
        Assert.Equal((7L, burst + 7L), (last.Long("againstVotes"), last.Long("totalVotes")));
    }
}

using ChatPulse.Api.Timeline;
using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Timeline;

/// <summary>Streams in <see cref="TimelineStore"/> over the collection's Postgres: a gap of more than 30 minutes starts a new one.</summary>
[Collection(AppHostCollection.Name)]
public sealed class TimelineStreamTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task A_gap_over_30_minutes_splits_streams_and_one_of_30_minutes_does_not()
    {
        var streamer = await _scenario.NewStreamerAsync();
        using var metrics = new TestMetrics();
        var store = new TimelineStore(fixture.Database, metrics.Metrics, TimeProvider.System);
        var first = new DateTimeOffset(2026, 11, 20, 18, 0, 0, TimeSpan.Zero);
        var second = first.AddSeconds(20).AddMinutes(30).AddSeconds(1); // 30 min 1 s after the first stream's last point
        MoodPoint[] firstStream = [new(first, 1, 0, 1, 0.1), new(first.AddSeconds(10), 2, 0, 1, 0.1), new(first.AddSeconds(20), 2, 1, 1, 0.1)];
        MoodPoint[] secondStream = [new(second, 0, 4, 4, 0.4), new(second.AddMinutes(30), 5, 4, 5, 0.5), new(second.AddMinutes(30).AddSeconds(10), 5, 5, 1, 0.1)];
        await TimelineRows.InsertAsync(fixture.Database, streamer.Id, [.. firstStream, .. secondStream]);

        var streams = await store.StreamsAsync(streamer.Id, 10, default);
        var secondPoints = await store.StreamPointsAsync(streamer.Id, second, default);
        var firstPoints = await store.StreamPointsAsync(streamer.Id, first, default);
        var notAStart = await store.StreamPointsAsync(streamer.Id, second.AddMinutes(30), default);
        var nothingThere = await store.StreamPointsAsync(streamer.Id, first.AddSeconds(5), default);

        Assert.Equal([new MoodStream(second, second.AddMinutes(30).AddSeconds(10), 3, 10), new MoodStream(first, first.AddSeconds(20), 3, 3)], streams);
        Assert.Equal(secondStream.Select(p => (p.At, p.For, p.Against, p.Votes)), secondPoints!.Select(p => (p.At, p.For, p.Against, p.Votes)));
        Assert.Equal(firstStream.Select(p => p.At), firstPoints!.Select(p => p.At)); // stops at the gap
        Assert.Null(notAStart); // 30 minutes after a point: the middle of a stream
        Assert.Null(nothingThere);
        Assert.Equal(5, metrics.Count("chatpulse.timeline.statements", "statement=read"));
    }
}

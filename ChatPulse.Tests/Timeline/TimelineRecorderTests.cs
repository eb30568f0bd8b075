using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Dashboard;
using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Timeline;

/// <summary>
/// Points from real votes: test votes from the dashboard (chat's vote path) on replicas with a 1–3 s interval, each
/// test on a Redis database of its own (its intervals are its own), an overlay socket for presence, rows read from Postgres.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class TimelineRecorderTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task Mood_votes_become_points_with_the_windows_totals_and_the_rate_and_none_while_chat_is_quiet()
    {
        await using var replica = await ApiInstance.StartAsync(fixture, e => TimelineRows.Use(e, redisDatabase: 7));
        var (visitor, streamer) = await SignInWatchedAsync(replica, "points");
        using var _ = visitor;
        await using var overlay = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        await overlay.NextStateAsync(); // presence announced: votes count
        var fields = await TestVoteTests.FormFieldsAsync(visitor);

        using var pressFor = await TestVoteTests.PressAsync(visitor, fields, "for");
        using var pressAgainst = await TestVoteTests.PressAsync(visitor, fields, "against");
        var points = await TimelineRows.WaitForVotesAsync(replica.Database, streamer.Id, 20);
        await TimelineRows.WaitForClaimAsync(fixture, 7, points[^1].At.AddSeconds(5), TimeSpan.FromSeconds(1)); // four quiet intervals behind it
        var later = await TimelineRows.PointsAsync(replica.Database, streamer.Id);

        Assert.Equal(HttpStatusCode.OK, pressFor.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pressAgainst.StatusCode);
        Assert.Equal(20, points.Sum(p => p.Votes));
        var counted = 0L;
        foreach (var point in points)
        {
            counted += point.Votes;
            Assert.Equal(counted, point.For + point.Against); // the window (nothing expires) at the interval's end
        }

        Assert.Equal((10, 10), (points[^1].For, points[^1].Against)); // as the overlay showed it
        Assert.All(points, p => Assert.Equal(p.Votes, p.VotesPerSecond)); // a 1 s interval: votes/s = votes
        Assert.All(points, p => Assert.Equal(0, p.At.ToUnixTimeMilliseconds() % 1000)); // on the interval's boundary
        Assert.Equal(points.Count, later.Count); // no votes, no points
    }

    [Fact]
    public async Task Two_replicas_write_one_point_per_channel_per_interval_with_both_replicas_votes()
    {
        var replicas = await ApiInstance.StartTogetherAsync(fixture, 2, e => TimelineRows.Use(e, redisDatabase: 8));
        await using var first = replicas[0];
        await using var second = replicas[1];
        var (visitor, streamer) = await SignInWatchedAsync(first, "replicas");
        using var _ = visitor;
        using var elsewhere = visitor.WithSessionTo(second.BaseAddress);
        await using var overlay = await OverlayClient.ConnectAsync(second.BaseAddress, streamer.OverlayId);
        await overlay.NextStateAsync();
        var fields = await TestVoteTests.FormFieldsAsync(visitor);
        var elsewhereFields = await TestVoteTests.FormFieldsAsync(elsewhere);

        // Both replicas apply votes in the same intervals: each press is on one replica, at once.
        var presses = await Task.WhenAll(TestVoteTests.PressAsync(visitor, fields, "for"), TestVoteTests.PressAsync(elsewhere, elsewhereFields, "against"));
        var points = await TimelineRows.WaitForVotesAsync(first.Database, streamer.Id, 20);
        // More votes on both once those are written: each replica flushes them only after it has tried to claim (and
        // so perhaps written again) every interval before, so a second write of those would be counted by then.
        var again = await Task.WhenAll(TestVoteTests.PressAsync(visitor, fields, "for"), TestVoteTests.PressAsync(elsewhere, elsewhereFields, "against"));
        var all = await TimelineRows.WaitForVotesAsync(first.Database, streamer.Id, 40);
        var inserts = 0.0;
        await Waits.Until(async () => (inserts = await TimelineRows.StatementsAsync(first, "insert_points") + await TimelineRows.StatementsAsync(second, "insert_points"))
            >= all.Count, Waits.Short, "the inserts' count in the metrics");

        Assert.All(presses.Concat(again), p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
        Assert.Equal(20, points.Sum(p => p.Votes));
        Assert.Equal((10, 10), (points[^1].For, points[^1].Against));
        Assert.Equal((20, 20), (all[^1].For, all[^1].Against));
        Assert.Equal(all.Count, inserts); // one statement per interval for the cluster: no interval written twice
        foreach (var press in presses.Concat(again))
        {
            press.Dispose();
        }
    }

    [Fact]
    public async Task One_statement_writes_every_active_channel_of_an_interval()
    {
        await using var replica = await ApiInstance.StartAsync(fixture, e => TimelineRows.Use(e, redisDatabase: 9, interval: "3s"));
        var channels = new List<(Visitor Visitor, Streamer Streamer, OverlayClient Overlay, List<KeyValuePair<string, string>> Fields)>();
        for (var i = 0; i < 3; i++)
        {
            var (visitor, streamer) = await SignInWatchedAsync(replica, $"batch{i}");
            var overlay = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
            await overlay.NextStateAsync();
            channels.Add((visitor, streamer, overlay, await TestVoteTests.FormFieldsAsync(visitor)));
        }

        var presses = await Task.WhenAll(channels.Select(c => TestVoteTests.PressAsync(c.Visitor, c.Fields, "for")));
        var points = new List<Api.Timeline.MoodPoint>();
        foreach (var channel in channels)
        {
            points.AddRange(await TimelineRows.WaitForVotesAsync(replica.Database, channel.Streamer.Id, 10));
        }

        var inserts = await TimelineRows.StatementsAsync(replica, "insert_points");
        var rows = await TimelineRows.MetricAsync(replica, "chatpulse_timeline_points_total");
        var timed = (await TimelineRows.SamplesAsync(replica)).Where(s => s.Name == "chatpulse_timeline_statement_duration_seconds_count"
            && s.Labels.GetValueOrDefault("statement") == "insert_points").Sum(s => s.Value);
        foreach (var channel in channels)
        {
            await channel.Overlay.DisposeAsync();
            channel.Visitor.Dispose();
        }

        Assert.All(presses, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
        Assert.Equal(3, points.Count);
        Assert.Equal(3, rows);
        Assert.Equal(points.Select(p => p.At).Distinct().Count(), inserts); // a statement per interval, not per channel
        Assert.Equal(inserts, timed); // each statement timed, for the load tool's p99
        Assert.True(inserts < rows, $"{inserts} statements for {rows} points: one statement wrote several channels");
    }

    /// <summary>A new streamer signed in on <paramref name="replica"/>, whose votes never leave the window during a test.</summary>
    private async Task<(Visitor Visitor, Streamer Streamer)> SignInWatchedAsync(ApiInstance replica, string prefix)
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(replica, prefix);
        await _scenario.Store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with { MemorySeconds = null }, default);
        return (visitor, streamer);
    }
}

using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Tests.Dashboard;
using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;
using ChatPulse.Tests.Twitch;

namespace ChatPulse.Tests.Timeline;

/// <summary>The timeline through failures, each on a Redis or a database of the test's own.</summary>
[Collection(AppHostCollection.Name)]
public sealed class TimelineOutageTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Through_a_redis_crash_the_recorder_skips_those_intervals_and_writes_points_again_after()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var replica = await ApiInstance.StartAsync(fixture, e =>
        {
            e["ConnectionStrings__redis"] = redis.ConnectionString;
            e["TIMELINE_INTERVAL"] = "1s";
        });
        await using var client = await redis.ConnectAsync();
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(replica, "outage");
        using var _ = visitor;
        await new OverlayScenario(fixture).Store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with { MemorySeconds = null }, default);
        await using var overlay = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        await overlay.NextStateAsync();
        var fields = await TestVoteTests.FormFieldsAsync(visitor);
        using var before = await TestVoteTests.PressAsync(visitor, fields, "for");
        await TimelineRows.WaitForVotesAsync(replica.Database, streamer.Id, 10);

        await redis.KillAsync();
        await replica.WaitForLogAsync(l => l.Message?.Contains("Mood timeline: this interval's points were skipped", StringComparison.Ordinal) == true,
            "a skipped interval");
        await redis.StartAgainAsync();
        await Waits.Until(() => client.GetDatabase().KeyExistsAsync(RedisKeys.Presence(streamer.TwitchUserId)), Waits.Short,
            "the overlay's presence back in the new Redis");
        using var after = await TestVoteTests.PressAsync(visitor, fields, "against");
        var points = await TimelineRows.WaitForVotesAsync(replica.Database, streamer.Id, 20);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.False(replica.HasExited);
        Assert.Equal(20, points.Sum(p => p.Votes));
        Assert.Equal((0, 10), (points[^1].For, points[^1].Against)); // the new Redis's window: only the votes after it
    }

    [Fact]
    public async Task Chat_votes_buffered_through_a_redis_crash_count_in_the_interval_that_replays_them()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var replica = await ApiInstance.StartAsync(fixture, e =>
        {
            e["ConnectionStrings__redis"] = redis.ConnectionString;
            e["TIMELINE_INTERVAL"] = "1s";
        });
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(replica, "replayed");
        using var _ = visitor;
        await new OverlayScenario(fixture).Store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with { MemorySeconds = null }, default);
        await using var overlay = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        await overlay.NextStateAsync();

        await redis.KillAsync();
        var answers = new List<HttpStatusCode>();
        for (var chatter = 0; chatter < 5; chatter++)
        {
            var body = EventSubMessages.ChatMessage(streamer.TwitchUserId, $"71000000{chatter}", "yes");
            using var delivery = await replica.Client.SendAsync(EventSubMessages.Request(fixture.ApiEnvironment["WEBHOOK_SECRET"],
                EventSubHeaders.Notification, body));
            answers.Add(delivery.StatusCode);
        }

        await redis.StartAgainAsync();
        var replayed = await overlay.WaitForStateAsync(s => s.Long("forVotes") == 5, "the replayed votes on the overlay");
        var points = await TimelineRows.WaitForVotesAsync(replica.Database, streamer.Id, 5);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a)); // buffered, not refused
        Assert.Equal(1.0, replayed.Number("forRatio"));
        Assert.Equal(5, points.Sum(p => p.Votes));
        Assert.Equal((5, 0), (points[^1].For, points[^1].Against));
    }

    [Fact]
    public async Task A_replica_stopping_mid_interval_hands_its_counts_to_another_replica()
    {
        // A short drain (a quarter of SHUTDOWN_TIMEOUT), so the replica is gone well before the interval ends.
        var replicas = await ApiInstance.StartTogetherAsync(fixture, 2, e =>
        {
            TimelineRows.Use(e, redisDatabase: 10, interval: "5s");
            e["SHUTDOWN_TIMEOUT"] = "2s";
        });
        await using var stopping = replicas[0];
        await using var staying = replicas[1];
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(stopping, "handover");
        using var _ = visitor;
        await new OverlayScenario(fixture).Store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with { MemorySeconds = null }, default);
        await using var overlay = await OverlayClient.ConnectAsync(staying.BaseAddress, streamer.OverlayId);
        await overlay.NextStateAsync();
        var fields = await TestVoteTests.FormFieldsAsync(visitor);
        await Waits.Until(() => Task.FromResult(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % 5000 is > 100 and < 1000), Waits.Short,
            "the start of an interval");

        using var press = await TestVoteTests.PressAsync(visitor, fields, "for");
        stopping.Terminate();
        var exitCode = await stopping.WaitForExitAsync(Waits.Short);
        var points = await TimelineRows.WaitForVotesAsync(staying.Database, streamer.Id, 10);

        Assert.Equal(HttpStatusCode.OK, press.StatusCode);
        Assert.Equal(0, exitCode);
        Assert.Equal((10, 10, 0), (points.Sum(p => p.Votes), points[^1].For, points[^1].Against));
        Assert.Single(points); // the whole press in the one interval the stopping replica handed over
    }

    [Fact]
    public async Task When_the_timelines_queries_fail_the_dashboard_still_answers_and_the_card_says_it_cannot_load()
    {
        await using var database = new OwnDatabase(fixture);
        await using var replica = await ApiInstance.StartAsync(fixture, database.Use);
        var (visitor, _) = await TwitchLogin.SignInNewStreamerAsync(replica, "broken");
        using var __ = visitor;
        await using (var data = Npgsql.NpgsqlDataSource.Create(database.ConnectionString))
        {
            await data.CreateCommand("ALTER TABLE mood_points RENAME TO mood_points_away").ExecuteNonQueryAsync();
        }

        var page = await visitor.PageAsync("/dashboard"); // 200, or PageAsync throws

        Assert.NotNull(page.QuerySelector("[data-testid=timeline-unavailable]"));
        Assert.NotNull(page.QuerySelector("[data-testid=config-form]")); // the rest of the dashboard is there
    }
}

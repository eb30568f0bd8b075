using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Polls;
using ChatPulse.Tests.Support;
using StackExchange.Redis;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// Overlays through a Redis outage: a replica on a <c>redis-server</c> of the test's own, killed and started again
/// (empty, as the AppHost's Redis without persistence comes back). Postgres is the collection's.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class OverlayRedisOutageTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task An_open_overlay_stays_open_through_a_Redis_restart_and_shows_a_vote_cast_after_it()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var replica = await StartReplicaAsync(redis);
        var streamer = await _scenario.NewStreamerAsync();
        await using var overlay = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        await overlay.NextStateAsync();

        await redis.KillAsync();
        await replica.WaitUntilFailingAsync("redis");
        await redis.StartAgainAsync();
        await using var restarted = await redis.ConnectAsync();
        var presence = new OverlayPresence(restarted, TimeProvider.System);
        await Waits.Until(async () => await presence.CountAsync(streamer.TwitchUserId, default) == 1, Waits.Short,
            "the replica's presence heartbeat in the restarted Redis");
        await _scenario.VoteAsync(replica.Client, streamer, votesFor: 1, votesAgainst: 0);

        var state = await overlay.WaitForStateAsync(s => s.Long("totalVotes") == 1, "the vote cast after the restart");
        Assert.Equal(1L, state.Long("forVotes"));
        Assert.False(overlay.WaitForCloseAsync().IsCompleted);
    }

    [Fact]
    public async Task A_page_reconnecting_while_Redis_is_down_gets_the_last_state_this_replica_showed()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var replica = await StartReplicaAsync(redis);
        await using var watcher = await redis.ConnectAsync();
        var presence = new OverlayPresence(watcher, TimeProvider.System);
        var streamer = await _scenario.NewStreamerAsync();
        var page = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        await page.NextStateAsync();
        await _scenario.VoteAsync(replica.Client, streamer, votesFor: 2, votesAgainst: 1);
        await page.WaitForStateAsync(s => s.Long("totalVotes") == 3, "the three votes");
        await page.DisposeAsync();
        await Waits.Until(async () => await presence.CountAsync(streamer.TwitchUserId, default) == 0, Waits.Short,
            "the replica to let go of the broadcaster's feed");

        await redis.KillAsync();
        await replica.WaitUntilFailingAsync("redis");
        await using var reconnected = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        var state = await reconnected.NextStateAsync();

        Assert.Equal((3L, 2L, 1L), (state.Long("totalVotes"), state.Long("forVotes"), state.Long("againstVotes")));
    }

    [Fact]
    public async Task A_page_reconnecting_while_Redis_is_down_gets_the_poll_this_replica_last_showed()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var replica = await ApiInstance.StartAsync(fixture, e => e["ConnectionStrings__redis"] = redis.ConnectionString);
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(replica, "polloutage");
        var polls = await PollClient.ForAsync(visitor);
        var (_, started) = await polls.StartAsync(PollClient.Body("Still there?", options: 2, durationSeconds: 900));
        var page = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        var shown = (await page.NextStateAsync()).GetProperty("poll");
        await page.DisposeAsync();
        await using (var watcher = await redis.ConnectAsync())
        {
            var presence = new OverlayPresence(watcher, TimeProvider.System);
            await Waits.Until(async () => await presence.CountAsync(streamer.TwitchUserId, default) == 0, Waits.Short,
                "the replica to let go of the broadcaster's feed");
        }

        await redis.KillAsync();
        await replica.WaitUntilFailingAsync("redis");
        await using var reconnected = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        var poll = (await reconnected.NextStateAsync()).GetProperty("poll");

        Assert.Equal(started.GetProperty("id").GetGuid(), shown.GetProperty("id").GetGuid());
        Assert.Equal((started.GetProperty("id").GetGuid(), "Still there?"), (poll.GetProperty("id").GetGuid(), poll.Text("question")));
    }

    [Fact]
    public async Task Votes_that_reached_Redis_while_the_replicas_subscription_was_down_show_once_it_is_back()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var replica = await StartReplicaAsync(redis);
        var streamer = await _scenario.NewStreamerAsync();
        await using var overlay = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        await overlay.NextStateAsync();
        var replicaPort = redis.Port;

        await redis.KillAsync();
        await replica.WaitUntilFailingAsync("redis");
        // Back on a port the replica does not know yet, so these votes' snapshots are published to nobody, as a
        // replay racing the replica's resubscription would be; then on the replica's port.
        await redis.StartAgainAsync(port: FreePort.Next());
        await using (var seeder = await redis.ConnectAsync())
        {
            await new OverlayPresence(seeder, TimeProvider.System).HeartbeatAsync(streamer.TwitchUserId, "seeder", 1, 1, default);
            var window = new VoteWindow(seeder);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var chatter in new[] { "101", "102", "103" })
            {
                await window.CastAsync(streamer.TwitchUserId, $"message-{chatter}", chatter, VoteSide.For,
                    OverlayConfiguration.Default.MemorySeconds, now, TimeSpan.FromMinutes(10));
            }

            await seeder.GetServer(seeder.GetEndPoints()[0]).ConfigSetAsync("port", replicaPort);
        }

        var state = await overlay.WaitForStateAsync(s => s.Long("totalVotes") == 3, "the votes written while the replica was away",
            TimeSpan.FromSeconds(45));
        Assert.Equal(3L, state.Long("forVotes"));
    }

    private Task<ApiInstance> StartReplicaAsync(RedisServerProcess redis)
    {
        var environment = fixture.SharedApiEnvironment();
        environment["ConnectionStrings__redis"] = redis.ConnectionString;
        return ApiInstance.StartAsync(environment);
    }
}

using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

/// <summary>Two API replicas (the AppHost's and an extra process) sharing Postgres and Redis, as in production.</summary>
[Collection(AppHostCollection.Name)]
public sealed class OverlayReplicaTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task An_update_reaches_sockets_on_both_replicas()
    {
        await using var replicaB = await ApiInstance.StartAsync(fixture.SharedApiEnvironment());
        var streamer = await _scenario.NewStreamerAsync();
        await using var onA = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId);
        await using var onB = await OverlayClient.ConnectAsync(replicaB.BaseAddress, streamer.OverlayId);
        await onA.NextStateAsync();
        await onB.NextStateAsync();

        Assert.Equal(2, await _scenario.PublishAsync(streamer, 4, 6)); // each replica subscribed once
        var stateA = await onA.WaitForStateAsync(s => s.Long("totalVotes") == 10, "10 votes on replica A");
        var stateB = await onB.WaitForStateAsync(s => s.Long("totalVotes") == 10, "10 votes on replica B");

        Assert.Equal((0.4, 0.4), (stateA.Number("forRatio"), stateB.Number("forRatio")));
    }

    [Fact]
    public async Task Votes_delivered_to_replica_A_reach_a_socket_on_replica_B()
    {
        await using var replicaB = await ApiInstance.StartAsync(fixture.SharedApiEnvironment());
        var streamer = await _scenario.NewStreamerAsync();
        await using var onB = await OverlayClient.ConnectAsync(replicaB.BaseAddress, streamer.OverlayId);
        await onB.NextStateAsync(); // B subscribed and announced presence, so A counts the votes

        await _scenario.VoteAsync(fixture.Api, streamer, votesFor: 4, votesAgainst: 6);
        var state = await onB.WaitForStateAsync(s => s.Long("totalVotes") == 10, "the 10 votes replica A ingested");

        Assert.Equal((4L, 6L, 0.4), (state.Long("forVotes"), state.Long("againstVotes"), state.Number("forRatio")));
    }

    [Fact]
    public async Task A_reconnecting_page_gets_the_current_votes_and_the_configuration_saved_while_it_was_away()
    {
        await using var replicaB = await ApiInstance.StartAsync(fixture.SharedApiEnvironment());
        var streamer = await _scenario.NewStreamerAsync();
        await using var otherOverlay = await OverlayClient.ConnectAsync(replicaB.BaseAddress, streamer.OverlayId); // e.g. a second scene
        var page = await OverlayClient.ConnectAsync(replicaB.BaseAddress, streamer.OverlayId);
        await otherOverlay.NextStateAsync();
        await page.NextStateAsync();
        await _scenario.PublishAsync(streamer, 4, 6);
        await page.WaitForStateAsync(s => s.Long("totalVotes") == 10, "10 votes");

        await page.DisposeAsync(); // network blip
        await _scenario.Store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with { ForLabel = "W" }, default);
        await _scenario.Events.PublishAsync(new StreamerEvent(StreamerEventKind.ConfigurationChanged, streamer.TwitchUserId), default);
        await otherOverlay.WaitForStateAsync(s => s.Text("forLabel") == "W", "the saved label");
        await using var reconnected = await OverlayClient.ConnectAsync(replicaB.BaseAddress, streamer.OverlayId);
        var first = await reconnected.NextStateAsync(TimeSpan.FromSeconds(2));

        Assert.Equal((4L, 6L, 0.4, "W"), (first.Long("forVotes"), first.Long("againstVotes"), first.Number("forRatio"), first.Text("forLabel")));
    }

    [Fact]
    public async Task A_replica_subscribes_only_while_it_holds_sockets_for_the_broadcaster()
    {
        var streamer = await _scenario.NewStreamerAsync();
        Assert.Equal(0, await _scenario.PublishAsync(streamer, 1, 0));

        var client = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId);
        await client.NextStateAsync();
        Assert.Equal(1, await _scenario.PublishAsync(streamer, 2, 0));

        await client.DisposeAsync();
        await Waits.Until(async () => await _scenario.PublishAsync(streamer, 3, 0) == 0, Waits.Short, "the replica to unsubscribe");
        Assert.Equal(0, await _scenario.OverlaysConnectedAsync(streamer)); // presence withdrawn at once, not aged out
    }

    [Fact]
    public async Task Presence_counts_sockets_across_replicas_and_a_killed_replicas_sockets_age_out()
    {
        var replicaB = await ApiInstance.StartAsync(fixture.SharedApiEnvironment());
        var streamer = await _scenario.NewStreamerAsync();
        var clients = new List<OverlayClient>();
        try
        {
            foreach (var address in new[] { fixture.ApiBaseAddress, replicaB.BaseAddress, replicaB.BaseAddress, replicaB.BaseAddress })
            {
                var client = await OverlayClient.ConnectAsync(address, streamer.OverlayId);
                clients.Add(client);
                await client.NextStateAsync();
            }

            await Waits.Until(async () => await _scenario.OverlaysConnectedAsync(streamer) == 4, TimeSpan.FromSeconds(5), "4 overlays counted");

            replicaB.Kill(); // no goodbye: its presence must expire by itself
            await Waits.Until(async () => await _scenario.OverlaysConnectedAsync(streamer) == 1,
                OverlayPresence.Ttl + TimeSpan.FromSeconds(10), "the killed replica's 3 overlays to age out");
            Assert.True(await PresenceReads.IsWatchedAsync(_scenario.Redis, streamer.TwitchUserId, TimeProvider.System));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            await replicaB.DisposeAsync();
        }
    }

    [Fact]
    public async Task Shutdown_closes_sockets_with_1001_so_pages_reconnect_elsewhere()
    {
        await using var replicaB = await ApiInstance.StartAsync(fixture.SharedApiEnvironment());
        var streamer = await _scenario.NewStreamerAsync();
        await using var client = await OverlayClient.ConnectAsync(replicaB.BaseAddress, streamer.OverlayId);
        await client.NextStateAsync();

        replicaB.Terminate();

        Assert.Equal(OverlayProtocol.CloseGoingAway, await client.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, await replicaB.WaitForExitAsync(Waits.Short));
    }
}

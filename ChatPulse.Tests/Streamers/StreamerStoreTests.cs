using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Tests.Streamers;

[Collection(AppHostCollection.Name)]
public sealed class StreamerStoreTests(AppHostFixture fixture)
{
    // The collection's shared clients: one connection each, closed with the fixture.
    private NpgsqlDataSource _dataSource => fixture.Database;
    private ConnectionMultiplexer _redis => fixture.Redis;

    [Fact]
    public async Task First_login_creates_streamer_default_configuration_and_random_overlay_id_later_logins_update_names()
    {
        var store = new StreamerStore(_dataSource);
        var twitchId = NewTwitchId();

        var (first, created) = await store.UpsertOnLoginAsync(twitchId, "streamer", "Streamer", default);
        var (second, createdAgain) = await store.UpsertOnLoginAsync(twitchId, "renamed", "Renamed", default);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.OverlayId, second.OverlayId);
        Assert.Equal(("renamed", "Renamed"), (second.Login, second.DisplayName));
        Assert.Equal(4, first.OverlayId.Version); // random, not time-ordered (v7)
        Assert.Equal(OverlayConfiguration.Default, await store.GetConfigurationAsync(first.Id, default));
    }

    [Fact]
    public async Task Saving_a_configuration_bumps_its_version_and_trims_triggers()
    {
        var store = new StreamerStore(_dataSource);
        var (streamer, _) = await store.UpsertOnLoginAsync(NewTwitchId(), "s", "S", default);

        var saved = await store.SaveConfigurationAsync(streamer.Id,
            OverlayConfiguration.Default with { ForTriggers = ["  W "], AgainstTriggers = ["L"], MemorySeconds = null, Theme = OverlayTheme.Light }, default);

        Assert.Equal(2, saved.Version);
        Assert.Equal(saved, await store.GetConfigurationAsync(streamer.Id, default));
        Assert.Equal("W", saved.ForTriggers.Single());
        Assert.Null(saved.MemorySeconds);
    }

    [Fact]
    public async Task Ten_triggers_a_side_in_any_word_mode_with_the_triggers_line_are_saved_and_read_back_in_order()
    {
        var store = new StreamerStore(_dataSource);
        var (streamer, _) = await store.UpsertOnLoginAsync(NewTwitchId(), "s", "S", default);
        var configuration = OverlayConfiguration.Default with
        {
            ForTriggers = [.. Enumerable.Range(0, 10).Select(i => $"for{9 - i}")],
            AgainstTriggers = [.. Enumerable.Range(0, 10).Select(i => $"against{i}")],
            MatchMode = TriggerMatchMode.AnyWord,
            ShowTriggers = true,
        };

        var saved = await store.SaveConfigurationAsync(streamer.Id, configuration, default);

        Assert.Equal(configuration with { Version = 2 }, saved);
        Assert.Equal(saved, await store.GetConfigurationAsync(streamer.Id, default));
        Assert.Equal("for9", saved.ForTriggers[0]);
    }

    [Fact]
    public async Task Invalid_configuration_is_refused_and_nothing_is_saved()
    {
        var store = new StreamerStore(_dataSource);
        var (streamer, _) = await store.UpsertOnLoginAsync(NewTwitchId(), "s", "S", default);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with { AgainstTriggers = ["YES"] }, default));

        Assert.Equal(OverlayConfiguration.Default, await store.GetConfigurationAsync(streamer.Id, default));
    }

    [Fact]
    public async Task Rotating_the_overlay_id_makes_the_old_one_resolve_to_nothing()
    {
        var store = new StreamerStore(_dataSource);
        var (streamer, _) = await store.UpsertOnLoginAsync(NewTwitchId(), "s", "S", default);

        var newId = await store.RotateOverlayIdAsync(streamer.Id, default);

        Assert.Null(await store.GetByOverlayIdAsync(streamer.OverlayId, default));
        Assert.Equal(streamer.Id, (await store.GetByOverlayIdAsync(newId, default))?.Id);
    }

    [Fact]
    public async Task A_save_on_one_replica_drops_the_cached_channel_on_another()
    {
        var store = new StreamerStore(_dataSource);
        var (streamer, _) = await store.UpsertOnLoginAsync(NewTwitchId(), "s", "S", default);
        var (replicaA, eventsA) = await DirectoryOnNewReplica(store);
        var (replicaB, eventsB) = await DirectoryOnNewReplica(store);
        Assert.Equal("yes", (await replicaB.GetAsync(streamer.TwitchUserId, default))!.Configuration.ForTriggers.Single()); // cached on B

        await store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with { ForTriggers = ["W"], AgainstTriggers = ["L"] }, default);
        replicaA.Invalidate(streamer.TwitchUserId);
        await eventsA.PublishAsync(new StreamerEvent(StreamerEventKind.ConfigurationChanged, streamer.TwitchUserId), default);

        await Waits.Until(async () => (await replicaB.GetAsync(streamer.TwitchUserId, default))!.Configuration.ForTriggers.Single() == "W",
            TimeSpan.FromSeconds(2), "replica B to see the new configuration well before its cache would expire");
        await eventsA.StopAsync(default);
        await eventsB.StopAsync(default);
    }

    [Fact]
    public async Task Presence_counts_sockets_across_replicas_and_ages_out_a_silent_one()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var presence = new OverlayPresence(_redis, time);
        var broadcaster = NewTwitchId();

        await presence.HeartbeatAsync(broadcaster, "replica-a", 2, 2, default);
        await presence.HeartbeatAsync(broadcaster, "replica-b", 3, 3, default);
        Assert.Equal(5, await presence.CountAsync(broadcaster, default));
        Assert.True(await PresenceReads.IsWatchedAsync(_redis, broadcaster, time));

        time.Advance(OverlayPresence.Ttl - TimeSpan.FromSeconds(1));
        await presence.HeartbeatAsync(broadcaster, "replica-b", 3, 3, default); // a keeps silent, as if it crashed
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(3, await presence.CountAsync(broadcaster, default));
        await presence.HeartbeatAsync(broadcaster, "replica-b", 0, 0, default);
        Assert.Equal(0, await presence.CountAsync(broadcaster, default));
        Assert.False(await PresenceReads.IsWatchedAsync(_redis, broadcaster, time));
    }

    private async Task<(ChannelDirectory Directory, StreamerEvents Events)> DirectoryOnNewReplica(StreamerStore store)
    {
        var events = new StreamerEvents(await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString), NullLogger<StreamerEvents>.Instance);
        await events.StartAsync(default);
        await events.Subscribed.WaitAsync(Waits.Short);
        var metrics = new ChatPulseMetrics(new TestMeterFactory());
        return (ChannelDirectories.Create(store, metrics, events), events);
    }

    private static string NewTwitchId() => Random.Shared.NextInt64(1_000_000, 9_999_999_999).ToString();
}

using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch.EventSub;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPulse.Tests.Twitch;

/// <summary>The bot's chat subscription per streamer: created at login, 409 recovered by adoption, undone when recording fails.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ChatSubscriptionTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_connected_streamer_gets_a_chat_subscription_for_the_bot_on_the_conduit_and_a_record()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);
        var conduit = await host.Get<ConduitManager>().EnsureAsync(CancellationToken.None);
        var streamer = await host.AddStreamerAsync();
        var handler = Assert.Single(host.Services.GetServices<IStreamerConnectedHandler>());

        await handler.OnStreamerConnectedAsync(streamer, CancellationToken.None);

        var (id, onConduit) = Assert.Single(await host.ChatSubscriptionsOnTwitchAsync(streamer.TwitchUserId));
        Assert.Equal(conduit, onConduit);
        var record = (await host.Get<SubscriptionRecords>().ListAsync("channel.chat.message", CancellationToken.None))[streamer.Id];
        Assert.Equal((id, conduit, "enabled", "1"), (record.Id, record.ConduitId, record.Status, record.Version));
        var existing = await host.Get<SubscriptionManager>().FindExistingAsync(streamer.TwitchUserId, CancellationToken.None);
        Assert.Equal(TwitchPlumbingHost.BotUserId, existing!.ConditionValue("user_id"));
    }

    [Fact]
    public async Task A_409_is_recovered_by_finding_the_existing_subscription_across_pages_and_adopting_it()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture, pageSize: 1);
        var conduit = await host.Get<ConduitManager>().EnsureAsync(CancellationToken.None);
        var streamer = await host.AddStreamerAsync();
        // Two other subscriptions in the same channel come first, so the chat one sits on the third page.
        foreach (var type in new[] { "stream.online", "stream.offline" })
        {
            using var other = await host.App.HelixAsync(HttpMethod.Post, "/eventsub/subscriptions", new
            {
                type, version = "1", condition = new { broadcaster_user_id = streamer.TwitchUserId },
                transport = new { method = "conduit", conduit_id = conduit },
            });
            Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        }

        var existingId = await SubscribeDirectlyAsync(host, conduit, streamer);

        var outcome = await host.Get<SubscriptionManager>().SubscribeAsync(streamer, CancellationToken.None);

        Assert.Equal(SubscribeOutcome.Adopted, outcome);
        Assert.Equal([(existingId, conduit)], await host.ChatSubscriptionsOnTwitchAsync(streamer.TwitchUserId));
        Assert.Equal(existingId, (await host.Get<SubscriptionRecords>().ListAsync("channel.chat.message", CancellationToken.None))[streamer.Id].Id);
    }

    [Fact]
    public async Task A_409_for_a_subscription_on_another_conduit_deletes_it_and_subscribes_on_ours()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);
        var ours = await host.Get<ConduitManager>().EnsureAsync(CancellationToken.None);
        var other = await host.App.CreateConduitAsync();
        var streamer = await host.AddStreamerAsync();
        var stale = await SubscribeDirectlyAsync(host, other, streamer);

        var outcome = await host.Get<SubscriptionManager>().SubscribeAsync(streamer, ours, CancellationToken.None);

        Assert.Equal(SubscribeOutcome.Created, outcome);
        var (id, conduit) = Assert.Single(await host.ChatSubscriptionsOnTwitchAsync(streamer.TwitchUserId));
        Assert.NotEqual(stale, id);
        Assert.Equal(ours, conduit);
    }

    [Fact]
    public async Task When_recording_a_new_subscription_fails_it_is_deleted_from_twitch_again()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);
        var conduit = await host.Get<ConduitManager>().EnsureAsync(CancellationToken.None);
        var login = StandInApp.UniqueLogin("ghost");
        var twitchId = await host.App.CreateUserAsync(login);
        // Twitch knows the channel, but the streamer row is missing: the insert breaks its foreign key.
        var ghost = new Streamer(Guid.NewGuid(), twitchId, login, login, Guid.NewGuid());

        var failure = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => host.Get<SubscriptionManager>().SubscribeAsync(ghost, conduit, CancellationToken.None));

        Assert.Equal("23503", failure.SqlState);
        Assert.Empty(await host.ChatSubscriptionsOnTwitchAsync(twitchId));
    }

    [Fact]
    public async Task A_channel_that_has_not_granted_channel_bot_is_refused_without_a_record_and_must_reconnect()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);
        var conduit = await host.Get<ConduitManager>().EnsureAsync(CancellationToken.None);
        var streamer = await host.AddStreamerAsync(grant: false);
        var records = host.Get<SubscriptionRecords>();

        var outcome = await host.Get<SubscriptionManager>().SubscribeAsync(streamer, conduit, CancellationToken.None);

        Assert.Equal(SubscribeOutcome.Refused, outcome);
        Assert.False((await records.ListAsync("channel.chat.message", CancellationToken.None)).ContainsKey(streamer.Id));
        // The dashboard asks for a new grant, the next login subscribes, and reconciliation leaves the channel alone.
        Assert.Equal(new ReconnectState(true, SubscriptionManager.RefusedReason), await host.Get<StreamerStore>().GetReconnectStateAsync(streamer.Id, CancellationToken.None));
        Assert.DoesNotContain(await host.Get<StreamerStore>().ListSubscribableAsync(CancellationToken.None), s => s.Id == streamer.Id);
    }

    private static async Task<string> SubscribeDirectlyAsync(TwitchPlumbingHost host, string conduit, Streamer streamer)
    {
        using var response = await host.App.SubscribeChatAsync(conduit, streamer.TwitchUserId, TwitchPlumbingHost.BotUserId);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = await StandInApp.ReadJsonAsync(response);
        return body.RootElement.GetProperty("data")[0].GetProperty("id").GetString()!;
    }
}

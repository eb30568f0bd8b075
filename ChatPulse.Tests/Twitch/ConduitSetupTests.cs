using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch.EventSub;
using ChatPulse.Tests.Support;
using ChatPulse.TwitchStandIn.EventSub;

namespace ChatPulse.Tests.Twitch;

/// <summary>The API finds or creates its conduit and points shard 0 at the webhook, against the stand-in over HTTP.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ConduitSetupTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Set_up_creates_one_conduit_and_enables_shard_0_through_a_signed_challenge_and_reuses_it()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);
        var conduits = host.Get<ConduitManager>();

        var first = await conduits.EnsureAsync(CancellationToken.None);
        var second = await conduits.EnsureAsync(CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal([first], await ConduitIdsAsync(host));
        Assert.Equal("enabled", await Shard0StatusAsync(host, first));
        var challenge = Assert.Single(host.Listener.Received); // the second set-up saw it verified and left it alone
        Assert.Equal(EventSubSignature.Compute(TwitchPlumbingHost.WebhookSecret, challenge.MessageId, challenge.Header("Twitch-Eventsub-Message-Timestamp"), challenge.Body),
            challenge.Header("Twitch-Eventsub-Message-Signature"));
    }

    [Fact]
    public async Task A_conduit_that_vanished_is_recreated()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);
        var conduits = host.Get<ConduitManager>();
        var original = await conduits.EnsureAsync(CancellationToken.None);
        using var deleted = await host.App.HelixAsync(HttpMethod.Delete, $"/eventsub/conduits?id={original}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var replacement = await conduits.EnsureAsync(CancellationToken.None);

        Assert.NotEqual(original, replacement);
        Assert.Equal([replacement], await ConduitIdsAsync(host));
        Assert.Equal("enabled", await Shard0StatusAsync(host, replacement));
        Assert.Equal(replacement, await conduits.FindAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_refused_challenge_is_reported_and_the_next_try_enables_the_same_conduit()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);
        var conduits = host.Get<ConduitManager>();
        host.Listener.Challenges = ChallengeAnswer.NotFound;

        var refused = await Assert.ThrowsAsync<ConduitSetupException>(() => conduits.EnsureAsync(CancellationToken.None));
        host.Listener.Challenges = ChallengeAnswer.Echo;
        var enabled = await conduits.EnsureAsync(CancellationToken.None);

        Assert.Contains("404", refused.Message);
        Assert.Equal(refused.ConduitId, enabled);
        Assert.Equal([enabled], await ConduitIdsAsync(host));
        Assert.Equal("enabled", await Shard0StatusAsync(host, enabled));
    }

    [Fact]
    public async Task Start_up_reuses_the_conduit_subscribes_new_streamers_adopts_existing_ones_and_skips_those_waiting_to_reconnect()
    {
        Streamer fresh = null!, subscribed = null!, waiting = null!;
        string existingConduit = "", existingSubscription = "";
        await using var host = await TwitchPlumbingHost.StartAsync(fixture, maintenance: true, seed: async (app, db) =>
        {
            var store = new StreamerStore(db);
            fresh = await SeedStreamerAsync(app, store, "fresh");
            subscribed = await SeedStreamerAsync(app, store, "subbed");
            waiting = await SeedStreamerAsync(app, store, "waiting");
            await store.MarkNeedsReconnectAsync(waiting.Id, "authorization_revoked", CancellationToken.None);
            // A previous deployment left a conduit and a subscription on it, but no record.
            existingConduit = await app.CreateConduitAsync();
            using var response = await app.SubscribeChatAsync(existingConduit, subscribed.TwitchUserId, TwitchPlumbingHost.BotUserId);
            using var body = await StandInApp.ReadJsonAsync(response);
            existingSubscription = body.RootElement.GetProperty("data")[0].GetProperty("id").GetString()!;
        });

        await Waits.Until(async () => await RecordedIdAsync(host, fresh.Id) is not null && await RecordedIdAsync(host, subscribed.Id) is not null,
            Waits.Short, "start-up reconciliation");

        Assert.Equal([existingConduit], await ConduitIdsAsync(host));
        Assert.Equal("enabled", await Shard0StatusAsync(host, existingConduit));
        Assert.Equal(existingSubscription, await RecordedIdAsync(host, subscribed.Id));
        Assert.Equal([(existingSubscription, existingConduit)], await host.ChatSubscriptionsOnTwitchAsync(subscribed.TwitchUserId));
        var (freshId, freshConduit) = Assert.Single(await host.ChatSubscriptionsOnTwitchAsync(fresh.TwitchUserId));
        Assert.Equal((freshId, existingConduit), (await RecordedIdAsync(host, fresh.Id), freshConduit));
        Assert.Empty(await host.ChatSubscriptionsOnTwitchAsync(waiting.TwitchUserId));
        Assert.Null(await RecordedIdAsync(host, waiting.Id));
    }

    private static async Task<Streamer> SeedStreamerAsync(StandInApp app, StreamerStore store, string prefix)
    {
        var login = StandInApp.UniqueLogin(prefix);
        var (streamer, _) = await store.UpsertOnLoginAsync(await app.CreateUserAsync(login), login, login, CancellationToken.None);
        return streamer;
    }

    private static async Task<string?> RecordedIdAsync(TwitchPlumbingHost host, Guid streamerId)
    {
        var records = await host.Get<SubscriptionRecords>().ListAsync("channel.chat.message", CancellationToken.None);
        return records.TryGetValue(streamerId, out var record) && record.Status == "enabled" ? record.Id : null;
    }

    private static async Task<List<string>> ConduitIdsAsync(TwitchPlumbingHost host) =>
        [.. (await host.Get<ChatPulse.Api.Twitch.Clients.EventSubApi>().ListConduitsAsync(CancellationToken.None)).Select(c => c.Id)];

    private static async Task<string?> Shard0StatusAsync(TwitchPlumbingHost host, string conduitId) =>
        (await host.Get<ChatPulse.Api.Twitch.Clients.EventSubApi>().GetShardsAsync(conduitId, CancellationToken.None))?.Single(s => s.Id == "0").Status;
}

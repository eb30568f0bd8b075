using System.Net.Http.Json;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch.EventSub;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPulse.Tests.Twitch;

/// <summary>What <see cref="SubscriptionManager.HandleRevocationAsync"/> does with each kind of revocation.</summary>
[Collection(AppHostCollection.Name)]
public sealed class RevocationTests(AppHostFixture fixture)
{
    [Theory]
    [InlineData("authorization_revoked")]
    [InlineData("user_removed")]
    public async Task Lost_authorization_marks_the_streamer_for_reconnect_and_does_not_subscribe_again(string reason)
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);
        var (streamer, subscriptionId) = await SubscribedStreamerAsync(host);
        await RevokeOnTwitchAsync(host, subscriptionId, reason);

        var outcome = await host.Get<SubscriptionManager>().HandleRevocationAsync(subscriptionId, reason, CancellationToken.None);
        var report = await host.Get<SubscriptionReconciler>().ReconcileAsync((await host.Get<ConduitManager>().FindAsync(CancellationToken.None))!, CancellationToken.None);

        Assert.Equal(RevocationOutcome.NeedsReconnect, outcome);
        Assert.Equal(new ReconnectState(true, reason), await host.Get<StreamerStore>().GetReconnectStateAsync(streamer.Id, CancellationToken.None));
        var record = await host.Get<SubscriptionRecords>().FindAsync(subscriptionId, CancellationToken.None);
        Assert.Equal((reason, reason), (record!.Status, record.RevokedReason));
        Assert.Empty(await host.ChatSubscriptionsOnTwitchAsync(streamer.TwitchUserId));
        Assert.Equal(0, report.Created + report.Adopted + report.Failed);
    }

    [Fact]
    public async Task Notification_failures_exceeded_subscribes_again_and_records_the_new_subscription()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);
        var (streamer, subscriptionId) = await SubscribedStreamerAsync(host);
        await RevokeOnTwitchAsync(host, subscriptionId, "notification_failures_exceeded");

        var outcome = await host.Get<SubscriptionManager>().HandleRevocationAsync(subscriptionId, "notification_failures_exceeded", CancellationToken.None);

        Assert.Equal(RevocationOutcome.Resubscribed, outcome);
        var (newId, _) = Assert.Single(await host.ChatSubscriptionsOnTwitchAsync(streamer.TwitchUserId));
        Assert.NotEqual(subscriptionId, newId);
        var record = (await host.Get<SubscriptionRecords>().ListAsync("channel.chat.message", CancellationToken.None))[streamer.Id];
        Assert.Equal((newId, "enabled", (string?)null), (record.Id, record.Status, record.RevokedReason));
    }

    [Fact]
    public async Task A_streamer_who_logs_in_again_after_user_removed_is_subscribed_and_no_longer_flagged()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);
        var (streamer, subscriptionId) = await SubscribedStreamerAsync(host);
        await RevokeOnTwitchAsync(host, subscriptionId, "user_removed");
        await host.Get<SubscriptionManager>().HandleRevocationAsync(subscriptionId, "user_removed", CancellationToken.None);

        await host.Services.GetRequiredService<IStreamerConnectedHandler>().OnStreamerConnectedAsync(streamer, CancellationToken.None);

        Assert.Equal(new ReconnectState(false, null), await host.Get<StreamerStore>().GetReconnectStateAsync(streamer.Id, CancellationToken.None));
        Assert.Single(await host.ChatSubscriptionsOnTwitchAsync(streamer.TwitchUserId));
    }

    [Fact]
    public async Task A_revocation_for_a_subscription_chatpulse_never_recorded_is_unknown()
    {
        await using var host = await TwitchPlumbingHost.StartAsync(fixture);

        var outcome = await host.Get<SubscriptionManager>().HandleRevocationAsync(Guid.NewGuid().ToString(), "notification_failures_exceeded", CancellationToken.None);

        Assert.Equal(RevocationOutcome.Unknown, outcome);
    }

    private static async Task<(Streamer Streamer, string SubscriptionId)> SubscribedStreamerAsync(TwitchPlumbingHost host)
    {
        await host.Get<ConduitManager>().EnsureAsync(CancellationToken.None);
        var streamer = await host.AddStreamerAsync("revoked");
        Assert.Equal(SubscribeOutcome.Created, await host.Get<SubscriptionManager>().SubscribeAsync(streamer, CancellationToken.None));
        var (id, _) = Assert.Single(await host.ChatSubscriptionsOnTwitchAsync(streamer.TwitchUserId));
        return (streamer, id);
    }

    /// <summary>Twitch's side of a revocation: the stand-in removes the subscription and posts the revocation message.</summary>
    private static async Task RevokeOnTwitchAsync(TwitchPlumbingHost host, string subscriptionId, string reason)
    {
        using var response = await host.App.Http.PostAsJsonAsync("/chat/revoke", new { subscription_id = subscriptionId, reason });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var revocation = await host.Listener.WaitForAsync(d => d.MessageType == "revocation", "the revocation message");
        using var body = revocation.Json();
        Assert.Equal(reason, body.RootElement.GetProperty("subscription").GetProperty("status").GetString());
    }
}

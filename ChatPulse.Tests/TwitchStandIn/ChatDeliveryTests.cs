using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatPulse.Tests.Support;
using ChatPulse.TwitchStandIn.EventSub;

namespace ChatPulse.Tests.TwitchStandIn;

/// <summary>Chat said through <c>/chat/say</c> arrives at the shard's callback exactly as Twitch would send it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ChatDeliveryTests(AppHostFixture fixture)
{
    private const string Bot = "100000001";
    private const string Secret = "chat-secret-0123456789";

    [Fact]
    public async Task A_said_message_arrives_signed_with_every_header_and_twitchs_shape()
    {
        await using var setup = await ChannelAsync();
        var chatter = StandInApp.UniqueLogin("viewer");

        using var said = await SayAsync(new { broadcaster = setup.Login, chatter, text = "Kappa yes" });

        var report = said.RootElement.GetProperty("deliveries").EnumerateArray().Single();
        Assert.Equal(204, report.GetProperty("status").GetInt32());
        var delivery = await setup.Listener.WaitForAsync(d => d.MessageType == "notification", "the notification");
        Assert.Equal(report.GetProperty("message_id").GetString(), delivery.MessageId);
        Assert.Equal("0", delivery.Header("Twitch-Eventsub-Message-Retry"));
        Assert.Equal("channel.chat.message", delivery.Header("Twitch-Eventsub-Subscription-Type"));
        Assert.Equal("1", delivery.Header("Twitch-Eventsub-Subscription-Version"));
        Assert.Matches("^sha256=[0-9a-f]{64}$", delivery.Header("Twitch-Eventsub-Message-Signature"));
        Assert.Equal(EventSubSignature.Compute(Secret, delivery.MessageId, delivery.Header("Twitch-Eventsub-Message-Timestamp"), delivery.Body),
            delivery.Header("Twitch-Eventsub-Message-Signature"));
        Assert.True((DateTimeOffset.UtcNow - ParseTimestamp(delivery)).Duration() < TimeSpan.FromMinutes(1));

        using var body = delivery.Json();
        var subscription = body.RootElement.GetProperty("subscription");
        Assert.Equal(setup.SubscriptionId, subscription.GetProperty("id").GetString());
        Assert.Equal(setup.Conduit, subscription.GetProperty("transport").GetProperty("conduit_id").GetString());
        var e = body.RootElement.GetProperty("event");
        Assert.Equal(setup.StreamerId, e.GetProperty("broadcaster_user_id").GetString());
        Assert.Equal(setup.Login, e.GetProperty("broadcaster_user_login").GetString());
        Assert.Equal(chatter, e.GetProperty("chatter_user_login").GetString());
        Assert.Equal("Kappa yes", e.GetProperty("message").GetProperty("text").GetString());
        var fragments = e.GetProperty("message").GetProperty("fragments").EnumerateArray().ToList();
        Assert.Equal(["emote", "text"], fragments.Select(f => f.GetProperty("type").GetString()));
        Assert.Equal("25", fragments[0].GetProperty("emote").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, fragments[1].GetProperty("emote").ValueKind);
        Assert.Equal("text", e.GetProperty("message_type").GetString());
        Assert.Equal(JsonValueKind.Null, e.GetProperty("source_broadcaster_user_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, e.GetProperty("cheer").ValueKind);
        Assert.Equal(said.RootElement.GetProperty("chat_message_id").GetString(), e.GetProperty("message_id").GetString());
    }

    [Fact]
    public async Task Redelivery_resends_the_same_message_id_and_body_with_the_retry_count_raised()
    {
        await using var setup = await ChannelAsync();
        using var said = await SayAsync(new { broadcaster = setup.StreamerId, chatter = "viewer_re", text = "yes" });

        using var redelivered = await PostAsync("/chat/redeliver", new { });

        var deliveries = setup.Listener.Received.Where(d => d.MessageType == "notification").ToList();
        Assert.Equal(2, deliveries.Count);
        Assert.Equal(deliveries[0].MessageId, deliveries[1].MessageId);
        Assert.Equal(deliveries[0].Body, deliveries[1].Body);
        Assert.Equal("1", deliveries[1].Header("Twitch-Eventsub-Message-Retry"));
        Assert.Equal(EventSubSignature.Compute(Secret, deliveries[1].MessageId, deliveries[1].Header("Twitch-Eventsub-Message-Timestamp"), deliveries[1].Body),
            deliveries[1].Header("Twitch-Eventsub-Message-Signature"));
        Assert.Equal(1, redelivered.RootElement.GetProperty("deliveries")[0].GetProperty("retry").GetInt32());
    }

    [Fact]
    public async Task The_stale_switch_stamps_the_message_eleven_minutes_old()
    {
        await using var setup = await ChannelAsync();

        using var said = await SayAsync(new { broadcaster = setup.Login, chatter = "viewer_old", text = "no", stale = true });

        var delivery = await setup.Listener.WaitForAsync(d => d.MessageType == "notification", "the stale notification");
        var age = DateTimeOffset.UtcNow - ParseTimestamp(delivery);
        Assert.InRange(age, TimeSpan.FromMinutes(10.9), TimeSpan.FromMinutes(12));
    }

    [Fact]
    public async Task A_shared_chat_copy_reaches_the_second_channel_with_the_source_fields_set()
    {
        await using var origin = await ChannelAsync();
        await using var partner = await ChannelAsync();

        using var said = await SayAsync(new { broadcaster = origin.Login, chatter = "viewer_sh", text = "W", shared_with = partner.Login });

        Assert.Equal(2, said.RootElement.GetProperty("deliveries").GetArrayLength());
        using var original = (await origin.Listener.WaitForAsync(d => d.MessageType == "notification", "the original")).Json();
        using var copy = (await partner.Listener.WaitForAsync(d => d.MessageType == "notification", "the shared copy")).Json();
        var o = original.RootElement.GetProperty("event");
        var c = copy.RootElement.GetProperty("event");
        Assert.Equal(partner.StreamerId, c.GetProperty("broadcaster_user_id").GetString());
        Assert.Equal(origin.StreamerId, c.GetProperty("source_broadcaster_user_id").GetString());
        Assert.Equal(origin.Login, c.GetProperty("source_broadcaster_user_login").GetString());
        Assert.Equal(o.GetProperty("message_id").GetString(), c.GetProperty("source_message_id").GetString());
        Assert.Equal(o.GetProperty("chatter_user_id").GetString(), c.GetProperty("chatter_user_id").GetString());
        Assert.Equal(JsonValueKind.Null, o.GetProperty("source_message_id").ValueKind);
    }

    [Fact]
    public async Task Authorization_revoked_sends_a_revocation_removes_the_subscription_and_withdraws_the_grant()
    {
        await using var setup = await ChannelAsync();

        using var revoked = await PostAsync("/chat/revoke", new { subscription_id = setup.SubscriptionId, reason = "authorization_revoked" });

        var delivery = await setup.Listener.WaitForAsync(d => d.MessageType == "revocation", "the revocation");
        using var body = delivery.Json();
        Assert.Equal("authorization_revoked", body.RootElement.GetProperty("subscription").GetProperty("status").GetString());
        Assert.Equal(setup.SubscriptionId, body.RootElement.GetProperty("subscription").GetProperty("id").GetString());
        Assert.False(body.RootElement.TryGetProperty("event", out _));
        using var again = await setup.App.SubscribeChatAsync(setup.Conduit, setup.StreamerId, Bot);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
    }

    [Fact]
    public async Task After_notification_failures_exceeded_a_new_subscription_succeeds()
    {
        await using var setup = await ChannelAsync();

        using var revoked = await PostAsync("/chat/revoke", new { subscription_id = setup.SubscriptionId, reason = "notification_failures_exceeded" });
        using var again = await setup.App.SubscribeChatAsync(setup.Conduit, setup.StreamerId, Bot);

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    [Fact]
    public async Task The_answer_reports_the_callbacks_status_and_bad_input_is_400()
    {
        await using var setup = await ChannelAsync();
        setup.Listener.NotificationStatus = 500;

        using var said = await SayAsync(new { broadcaster = setup.Login, chatter = "viewer_5xx", text = "yes" });
        using var unknown = await fixture.TwitchStandIn.PostAsJsonAsync("/chat/say", new { broadcaster = "nobody_at_all_here", chatter = "v", text = "yes" });
        using var badReason = await fixture.TwitchStandIn.PostAsJsonAsync("/chat/revoke", new { subscription_id = setup.SubscriptionId, reason = "bored" });

        Assert.Equal(500, said.RootElement.GetProperty("deliveries")[0].GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badReason.StatusCode);
    }

    /// <summary>A channel with an app, a conduit whose shard 0 points at a listener, and the bot subscribed to its chat.</summary>
    private sealed record Channel(StandInApp App, WebhookListener Listener, string Conduit, string StreamerId, string Login, string SubscriptionId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            App.Dispose();
            await Listener.DisposeAsync();
        }
    }

    private async Task<Channel> ChannelAsync()
    {
        var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        var listener = await WebhookListener.StartAsync();
        var conduit = await app.CreateConduitAsync();
        using var shard = await app.PointShardAsync(conduit, listener.Callback, Secret);
        Assert.Empty(shard.RootElement.GetProperty("errors").EnumerateArray());
        var login = StandInApp.UniqueLogin("chan");
        var streamer = await app.CreateUserAsync(login);
        using var subscribed = await app.SubscribeChatAsync(conduit, streamer, Bot);
        using var body = await StandInApp.ReadJsonAsync(subscribed);
        return new Channel(app, listener, conduit, streamer, login, body.RootElement.GetProperty("data")[0].GetProperty("id").GetString()!);
    }

    private Task<JsonDocument> SayAsync(object request) => PostAsync("/chat/say", request);

    private async Task<JsonDocument> PostAsync(string path, object request)
    {
        using var response = await fixture.TwitchStandIn.PostAsJsonAsync(path, request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }

    /// <summary>RFC 3339 with 0–9 fraction digits (.NET parses at most 7).</summary>
    private static DateTimeOffset ParseTimestamp(ReceivedDelivery delivery)
    {
        var stamp = Regex.Replace(delivery.Header("Twitch-Eventsub-Message-Timestamp"), @"(\.\d{7})\d+Z$", "$1Z");
        return DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}

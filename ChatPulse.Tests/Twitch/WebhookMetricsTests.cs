using System.Collections.Concurrent;
using System.Text;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Twitch.EventSub;
using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static ChatPulse.Api.Twitch.Webhook.EventSubHeaders;

namespace ChatPulse.Tests.Twitch;

/// <summary>The webhook in this process (real Redis and Postgres), to observe its metrics and revocation calls.</summary>
[Collection(AppHostCollection.Name)]
public sealed class WebhookMetricsTests(AppHostFixture fixture)
{
    private const string Secret = "in-process-secret-123";

    [Fact]
    public async Task Deliveries_are_counted_by_message_type_subscription_type_and_status()
    {
        await using var votes = await InProcessVotes.CreateAsync(fixture, TimeProvider.System);
        var webhook = Webhook(votes, new RecordingRevocations());

        Assert.Equal(204, await Deliver(webhook, Notification, EventSubMessages.ChatMessage("1", "2", "yes")));
        Assert.Equal(204, await Deliver(webhook, Notification, """{"subscription":{"id":"s","type":"channel.follow"},"event":{}}"""));
        Assert.Equal(200, await Deliver(webhook, Verification, """{"challenge":"c","conduit_shard":{"conduit_id":"x","shard":"0"}}"""));
        Assert.Equal(403, await Deliver(webhook, Notification, "{}", secret: "wrong-secret-456"));
        Assert.Equal(400, await Deliver(webhook, Notification, "{"));

        Assert.Equal(1, Deliveries(votes, Notification, ChatMessageType, 204));
        Assert.Equal(1, Deliveries(votes, Notification, "channel.follow", 204)); // unknown type: acknowledged, counted
        Assert.Equal(1, Deliveries(votes, Verification, "none", 200));
        Assert.Equal(1, Deliveries(votes, Notification, "none", 403));
        Assert.Equal(1, Deliveries(votes, Notification, "none", 400));
        Assert.Equal(1, votes.Count("chatpulse.votes.processed", "outcome=no_match")); // broadcaster "1" is no streamer
    }

    [Fact]
    public async Task A_revocation_reaches_the_handler_once_however_often_it_is_delivered()
    {
        await using var votes = await InProcessVotes.CreateAsync(fixture, TimeProvider.System);
        var revocations = new RecordingRevocations();
        var webhook = Webhook(votes, revocations);
        var subscription = Guid.NewGuid().ToString();
        var messageId = Guid.NewGuid().ToString();
        var body = EventSubMessages.Revocation(subscription, "user_removed");

        Assert.Equal(204, await Deliver(webhook, Revocation, body, messageId));
        Assert.Equal(204, await Deliver(webhook, Revocation, body, messageId));

        Assert.Equal([(subscription, "user_removed")], revocations.Calls);
    }

    [Fact]
    public async Task A_vote_redis_cannot_take_is_acknowledged_kept_and_counted_as_buffered()
    {
        await using var votes = await InProcessVotes.CreateAsync(fixture, TimeProvider.System,
            redisConnectionString: "127.0.0.1:1,connectTimeout=200,abortConnect=false");
        await using var healthy = await InProcessVotes.CreateAsync(fixture, TimeProvider.System);
        await using var channel = await VoteTestChannel.CreateAsync(healthy.DataSource, healthy.Redis);
        var webhook = Webhook(votes, new RecordingRevocations());

        Assert.Equal(204, await Deliver(webhook, Notification, EventSubMessages.ChatMessage(channel.BroadcasterId, "2", "yes")).WaitAsync(Waits.Short));
        Assert.Equal(1, votes.Count("chatpulse.votes.processed", "outcome=buffered"));
        Assert.Equal(1, votes.Buffer.Count);
    }

    private static EventSubWebhook Webhook(InProcessVotes votes, IRevocationHandler handler) => new(
        Options.Create(new TwitchOptions { WebhookSecret = Secret }), votes.Processor,
        new RevocationInbox(votes.Redis, handler, votes.Time, NullLogger<RevocationInbox>.Instance),
        votes.Metrics, votes.Time, NullLogger<EventSubWebhook>.Instance);

    private static async Task<int> Deliver(EventSubWebhook webhook, string messageType, string body, string? messageId = null, string secret = Secret)
    {
        using var message = EventSubMessages.Request(secret, messageType, body, messageId);
        var context = new DefaultHttpContext();
        foreach (var header in message.Headers)
        {
            context.Request.Headers[header.Key] = header.Value.ToArray();
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        var result = await webhook.ReceiveAsync(context.Request, default);
        return ((IStatusCodeHttpResult)result.Result).StatusCode ?? 0;
    }

    private static int Deliveries(InProcessVotes votes, string messageType, string subscriptionType, int status) =>
        votes.Measurements.Count(m => m.Instrument == "chatpulse.webhook.deliveries"
            && m.Tags.Contains($"message_type={messageType}") && m.Tags.Contains($"subscription_type={subscriptionType}") && m.Tags.Contains($"status={status}"));

    private sealed class RecordingRevocations : IRevocationHandler
    {
        private readonly ConcurrentQueue<(string, string)> _calls = new();

        public IReadOnlyList<(string, string)> Calls => [.. _calls];

        public Task HandleRevocationAsync(string subscriptionId, string reason, CancellationToken cancellationToken)
        {
            _calls.Enqueue((subscriptionId, reason));
            return Task.CompletedTask;
        }
    }
}

using ChatPulse.TwitchStandIn.EventSub;
using ChatPulse.TwitchStandIn.Helix;

namespace ChatPulse.TwitchStandIn.Chat;

/// <summary>What one delivery did: the EventSub message id, where it went, and what the callback answered.</summary>
public sealed record DeliveryReport(
    string MessageId, string MessageType, string SubscriptionId, string BroadcasterUserId,
    string? Callback, string? Timestamp, int Retry, int? Status, string? Error);

/// <summary>
/// Delivers notifications and revocations to the enabled shard of each subscription's conduit, and remembers the
/// last batch so it can be re-sent with the same message ids (Twitch delivers at least once).
/// </summary>
public sealed class ChatDelivery(ConduitStore conduits, WebhookSender sender, TimeProvider time)
{
    public static readonly TimeSpan StaleAge = TimeSpan.FromMinutes(11);

    private readonly Lock _lock = new();
    private List<(Subscription Subscription, string MessageId, string Type, byte[] Body, int Retry)> _last = [];

    public async Task<IReadOnlyList<DeliveryReport>> NotifyAsync(IReadOnlyList<(Subscription Subscription, ChatMessageEvent Event)> items, bool stale, CancellationToken cancellationToken)
    {
        var batch = items.Select(i => (i.Subscription, Guid.NewGuid().ToString(), "notification",
            WebhookSender.Serialize(new { subscription = SubscriptionEndpoints.Dto(i.Subscription), @event = i.Event }), 0)).ToList();
        lock (_lock)
        {
            _last = batch;
        }

        var reports = new List<DeliveryReport>();
        foreach (var (subscription, id, type, body, retry) in batch)
        {
            reports.Add(await SendAsync(subscription, id, type, body, retry, stale, cancellationToken));
        }

        return reports;
    }

    /// <summary>Re-sends the last batch: same message ids and bodies, a new timestamp, the retry count raised.</summary>
    public async Task<IReadOnlyList<DeliveryReport>> RedeliverLastAsync(CancellationToken cancellationToken)
    {
        List<(Subscription Subscription, string MessageId, string Type, byte[] Body, int Retry)> batch;
        lock (_lock)
        {
            _last = [.. _last.Select(d => d with { Retry = d.Retry + 1 })];
            batch = _last;
        }

        var reports = new List<DeliveryReport>();
        foreach (var (subscription, id, type, body, retry) in batch)
        {
            reports.Add(await SendAsync(subscription, id, type, body, retry, stale: false, cancellationToken));
        }

        return reports;
    }

    /// <summary>A <c>revocation</c> message: the subscription with <c>status</c> = the reason, and no event.</summary>
    public Task<DeliveryReport> RevokeAsync(Subscription subscription, string reason, CancellationToken cancellationToken)
    {
        var revoked = subscription with { Status = reason };
        var body = WebhookSender.Serialize(new { subscription = SubscriptionEndpoints.Dto(revoked) });
        return SendAsync(revoked, Guid.NewGuid().ToString(), "revocation", body, 0, stale: false, cancellationToken);
    }

    private async Task<DeliveryReport> SendAsync(Subscription subscription, string messageId, string type, byte[] body, int retry, bool stale, CancellationToken cancellationToken)
    {
        var broadcaster = subscription.Condition.GetValueOrDefault("broadcaster_user_id", "");
        var shard = conduits.EnabledShard(subscription.ConduitId);
        if (shard is null)
        {
            return new DeliveryReport(messageId, type, subscription.Id, broadcaster, null, null, retry, null,
                $"conduit {subscription.ConduitId} has no enabled shard");
        }

        var sentAt = stale ? time.GetUtcNow() - StaleAge : time.GetUtcNow();
        var message = new WebhookMessage(messageId, type, RfcTimestamp.FormatVarying(sentAt), retry,
            subscription.Type, subscription.Version, body, shard.Callback!, shard.Secret!);
        var answer = await sender.SendAsync(message, cancellationToken);
        return new DeliveryReport(messageId, type, subscription.Id, broadcaster, shard.Callback, message.Timestamp, retry, answer.Status, answer.Error);
    }
}

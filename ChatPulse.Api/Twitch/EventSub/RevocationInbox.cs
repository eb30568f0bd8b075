using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Twitch.Webhook;
using StackExchange.Redis;

namespace ChatPulse.Api.Twitch.EventSub;

/// <summary>
/// Revocation deliveries: each message id reaches <see cref="IRevocationHandler"/> once across the cluster
/// (Redis SET NX), however often Twitch re-delivers it. A failing handler is logged, never a 5xx: Twitch does
/// not resend a revocation, and a 2xx is what it asks for.
/// </summary>
public sealed partial class RevocationInbox(IConnectionMultiplexer redis, IRevocationHandler handler, TimeProvider time,
    ILogger<RevocationInbox> logger)
{
    internal async Task ReceiveAsync(string messageId, DateTimeOffset sentAt, DeliverySubscription? subscription, CancellationToken cancellationToken)
    {
        if (subscription?.Id is not { Length: > 0 } subscriptionId)
        {
            LogWithoutSubscription(logger, LogText.Sanitize(messageId));
            return;
        }

        var first = await redis.GetDatabase().StringSetAsync(RedisKeys.EventSubDelivery(messageId), "revocation",
            ReplayWindow.SeenTtl(sentAt, time.GetUtcNow()), When.NotExists);
        if (!first)
        {
            return;
        }

        try
        {
            await handler.HandleRevocationAsync(subscriptionId, subscription.Status ?? "unknown", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogHandlerFailed(logger, e, LogText.Sanitize(subscriptionId));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring revocation {MessageId} without a subscription id")]
    private static partial void LogWithoutSubscription(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The revocation handler failed for subscription {SubscriptionId}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string subscriptionId);
}

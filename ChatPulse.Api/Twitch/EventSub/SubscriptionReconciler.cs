using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch.Clients;
using ChatPulse.Api.Twitch.Webhook;

namespace ChatPulse.Api.Twitch.EventSub;

/// <summary>What one reconciliation did; <see cref="Failed"/> counts errors worth retrying soon.</summary>
public sealed record ReconcileReport(int AlreadyEnabled, int Created, int Adopted, int Refused, int Failed);

/// <summary>
/// Makes every streamer (except those waiting to reconnect) have an enabled chat subscription on the current
/// conduit, and the <c>eventsub_subscriptions</c> table say so. One listing of Twitch's subscriptions, then only
/// the differences are fixed.
/// </summary>
public sealed class SubscriptionReconciler(
    EventSubApi api, SubscriptionManager manager, SubscriptionRecords records, StreamerStore streamers, ILogger<SubscriptionReconciler> logger)
{
    public async Task<ReconcileReport> ReconcileAsync(string conduitId, CancellationToken cancellationToken)
    {
        var subscribable = await streamers.ListSubscribableAsync(cancellationToken);
        var recorded = await records.ListAsync(EventSubHeaders.ChatMessageType, cancellationToken);
        var onTwitch = new Dictionary<string, EventSubSubscription>(StringComparer.Ordinal);
        await foreach (var subscription in api.ListSubscriptionsAsync("type", EventSubHeaders.ChatMessageType, cancellationToken))
        {
            if (subscription.ConditionValue("broadcaster_user_id") is { } broadcaster && manager.IsBotChatSubscription(subscription, broadcaster))
            {
                onTwitch[broadcaster] = subscription;
            }
        }

        int enabled = 0, created = 0, adopted = 0, refused = 0, failed = 0;
        foreach (var streamer in subscribable)
        {
            try
            {
                onTwitch.TryGetValue(streamer.TwitchUserId, out var existing);
                if (existing?.Transport.ConduitId == conduitId)
                {
                    if (!recorded.TryGetValue(streamer.Id, out var record) || record.Id != existing.Id || record.Status != "enabled" || record.ConduitId != conduitId)
                    {
                        await manager.RecordEnabledAsync(streamer.Id, existing, conduitId, cancellationToken);
                    }

                    enabled++;
                    continue;
                }

                if (existing is not null)
                {
                    logger.LogInformation("Moving {Login}'s chat subscription {SubscriptionId} to conduit {ConduitId}", streamer.Login, existing.Id, conduitId);
                    await api.DeleteSubscriptionAsync(existing.Id, cancellationToken);
                }

                switch (await manager.SubscribeAsync(streamer, conduitId, cancellationToken))
                {
                    case SubscribeOutcome.Created: created++; break;
                    case SubscribeOutcome.Adopted: adopted++; break;
                    default: refused++; break;
                }
            }
            catch (Exception e) when (e is TwitchApiException or HttpRequestException or Polly.ExecutionRejectedException or Npgsql.NpgsqlException or InvalidOperationException
                && !cancellationToken.IsCancellationRequested)
            {
                failed++;
                logger.LogWarning(e, "Could not reconcile {Login}'s chat subscription", streamer.Login);
            }
        }

        var report = new ReconcileReport(enabled, created, adopted, refused, failed);
        logger.LogInformation("EventSub reconciliation on conduit {ConduitId}: {Report}", conduitId, report);
        return report;
    }
}

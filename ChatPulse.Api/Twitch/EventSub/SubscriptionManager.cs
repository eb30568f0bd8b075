using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch.Clients;
using ChatPulse.Api.Twitch.Webhook;

namespace ChatPulse.Api.Twitch.EventSub;

public enum SubscribeOutcome
{
    /// <summary>Twitch accepted a new subscription; it is recorded.</summary>
    Created,

    /// <summary>Twitch already had it (409) on our conduit; that one is recorded.</summary>
    Adopted,

    /// <summary>
    /// Twitch refused (400/403, e.g. the streamer has not granted channel:bot); trying again will not help until
    /// the streamer logs in again, so they are marked as needing to reconnect.
    /// </summary>
    Refused,
}

public enum RevocationOutcome
{
    /// <summary>Subscribed again at once.</summary>
    Resubscribed,

    /// <summary>The streamer must log in again (authorization_revoked, user_removed); no new subscription.</summary>
    NeedsReconnect,

    /// <summary>Recorded; not subscribed again now (it cannot succeed, or failed and reconciliation will retry).</summary>
    Recorded,

    /// <summary>Not a subscription ChatPulse recorded.</summary>
    Unknown,
}

/// <summary>
/// The bot's <c>channel.chat.message</c> subscription per streamer (condition broadcaster_user_id + BOT_USER_ID on
/// the app's conduit), kept in step between Twitch and <c>eventsub_subscriptions</c>.
/// </summary>
public sealed class SubscriptionManager(
    EventSubApi api, ConduitManager conduits, SubscriptionRecords records, StreamerStore streamers, ReconcileTrigger trigger,
    IOptions<TwitchOptions> options, ILogger<SubscriptionManager> logger)
{
    /// <summary>Reasons after which a new subscription cannot succeed until something changes on Twitch's side.</summary>
    private static readonly HashSet<string> NoResubscribe = ["authorization_revoked", "user_removed", "version_removed", "chat_user_banned"];

    /// <summary>The reconnect reason recorded when Twitch refuses a new chat subscription.</summary>
    public const string RefusedReason = "subscription_refused";

    /// <summary>Subscribes the bot to <paramref name="streamer"/>'s chat on the app's conduit.</summary>
    /// <exception cref="InvalidOperationException">The app has no conduit yet (set-up still running).</exception>
    public async Task<SubscribeOutcome> SubscribeAsync(Streamer streamer, CancellationToken cancellationToken)
    {
        var conduitId = await conduits.FindAsync(cancellationToken)
            ?? throw new InvalidOperationException("No EventSub conduit yet; the set-up will subscribe the streamer when it reconciles");
        return await SubscribeAsync(streamer, conduitId, cancellationToken);
    }

    /// <summary>
    /// Creates the subscription; on 409 adopts the existing one (found by paginated listing) or, when it is on
    /// another conduit, deletes and recreates it. If recording a new subscription fails, it is deleted from Twitch again.
    /// </summary>
    public async Task<SubscribeOutcome> SubscribeAsync(Streamer streamer, string conduitId, CancellationToken cancellationToken)
    {
        var bot = options.Value.BotUserId;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var result = await api.SubscribeChatAsync(streamer.TwitchUserId, bot, conduitId, cancellationToken);
            if (result.Created is { } created)
            {
                await RecordOrUndoAsync(streamer, created, conduitId, cancellationToken);
                logger.LogInformation("Subscribed the bot to {Login}'s chat ({SubscriptionId})", streamer.Login, created.Id);
                return SubscribeOutcome.Created;
            }

            if (result.Status != 409)
            {
                logger.LogError("Twitch refused the chat subscription for {Login} ({Status}: {Message})", streamer.Login, result.Status, result.Message);
                // Only a new grant changes Twitch's answer: the dashboard asks for it, the next login subscribes
                // (a reconnecting login is announced), and reconciliation stops asking Twitch meanwhile.
                await streamers.MarkNeedsReconnectAsync(streamer.Id, RefusedReason, cancellationToken);
                return SubscribeOutcome.Refused;
            }

            var existing = await FindExistingAsync(streamer.TwitchUserId, cancellationToken);
            if (existing?.Transport.ConduitId == conduitId)
            {
                await RecordEnabledAsync(streamer.Id, existing, conduitId, cancellationToken);
                logger.LogInformation("Adopted the existing chat subscription {SubscriptionId} for {Login}", existing.Id, streamer.Login);
                return SubscribeOutcome.Adopted;
            }

            if (existing is not null)
            {
                logger.LogWarning("Chat subscription {SubscriptionId} for {Login} is on another conduit; recreating it", existing.Id, streamer.Login);
                await api.DeleteSubscriptionAsync(existing.Id, cancellationToken);
            }
        }

        throw new InvalidOperationException($"Twitch kept answering 409 for {streamer.Login}'s chat subscription, but listing shows none to adopt");
    }

    /// <summary>
    /// For the webhook when Twitch revokes a subscription: records the reason; subscribes again where that can
    /// succeed; for <c>authorization_revoked</c> / <c>user_removed</c> marks the streamer as needing to reconnect.
    /// </summary>
    public async Task<RevocationOutcome> HandleRevocationAsync(string subscriptionId, string reason, CancellationToken cancellationToken)
    {
        var record = await records.FindAsync(subscriptionId, cancellationToken);
        if (record is null)
        {
            logger.LogWarning("Revocation ({Reason}) of unknown subscription {SubscriptionId}", reason, subscriptionId);
            return RevocationOutcome.Unknown;
        }

        await records.MarkRevokedAsync(subscriptionId, reason, cancellationToken);
        if (reason is "authorization_revoked" or "user_removed")
        {
            await streamers.MarkNeedsReconnectAsync(record.StreamerId, reason, cancellationToken);
            logger.LogWarning("Subscription {SubscriptionId} revoked ({Reason}); the streamer must reconnect Twitch", subscriptionId, reason);
            return RevocationOutcome.NeedsReconnect;
        }

        if (NoResubscribe.Contains(reason))
        {
            logger.LogError("Subscription {SubscriptionId} revoked ({Reason}); not subscribing again", subscriptionId, reason);
            return RevocationOutcome.Recorded;
        }

        if (reason == "conduit_deleted")
        {
            conduits.Forget();
        }

        var streamer = (await streamers.ListSubscribableAsync(cancellationToken)).FirstOrDefault(s => s.Id == record.StreamerId);
        try
        {
            var conduitId = await conduits.FindAsync(cancellationToken);
            if (streamer is not null && conduitId is not null
                && await SubscribeAsync(streamer, conduitId, cancellationToken) is SubscribeOutcome.Created or SubscribeOutcome.Adopted)
            {
                return RevocationOutcome.Resubscribed;
            }
        }
        catch (Exception e) when (e is TwitchApiException or HttpRequestException or Polly.ExecutionRejectedException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            logger.LogWarning(e, "Subscribing again after {Reason} failed; reconciliation will retry", reason);
        }

        trigger.Request();
        return RevocationOutcome.Recorded;
    }

    /// <summary>The enabled subscription of the bot in this channel, looked up by paginated listing.</summary>
    internal async Task<EventSubSubscription?> FindExistingAsync(string broadcasterUserId, CancellationToken cancellationToken)
    {
        await foreach (var subscription in api.ListSubscriptionsAsync("user_id", broadcasterUserId, cancellationToken))
        {
            if (IsBotChatSubscription(subscription, broadcasterUserId))
            {
                return subscription;
            }
        }

        return null;
    }

    internal bool IsBotChatSubscription(EventSubSubscription subscription, string broadcasterUserId) =>
        subscription is { Type: EventSubHeaders.ChatMessageType, Status: "enabled" }
        && subscription.ConditionValue("broadcaster_user_id") == broadcasterUserId
        && subscription.ConditionValue("user_id") == options.Value.BotUserId;

    /// <summary>Records an enabled subscription for the streamer; a streamer with one is no longer waiting to reconnect.</summary>
    internal async Task RecordEnabledAsync(Guid streamerId, EventSubSubscription subscription, string conduitId, CancellationToken cancellationToken)
    {
        await records.UpsertEnabledAsync(streamerId, subscription.Id, subscription.Type, subscription.Version, conduitId, cancellationToken);
        await streamers.ClearNeedsReconnectAsync(streamerId, cancellationToken);
    }

    private async Task RecordOrUndoAsync(Streamer streamer, EventSubSubscription created, string conduitId, CancellationToken cancellationToken)
    {
        try
        {
            await RecordEnabledAsync(streamer.Id, created, conduitId, cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            logger.LogError(e, "Recording subscription {SubscriptionId} for {Login} failed; deleting it from Twitch again", created.Id, streamer.Login);
            try
            {
                await api.DeleteSubscriptionAsync(created.Id, CancellationToken.None);
            }
            catch (Exception undo) when (undo is TwitchApiException or HttpRequestException or Polly.ExecutionRejectedException)
            {
                logger.LogError(undo, "Could not delete subscription {SubscriptionId}; reconciliation will adopt or replace it", created.Id);
            }

            throw;
        }
    }
}

namespace ChatPulse.Api.Twitch.Webhook;

/// <summary>Twitch's EventSub webhook headers and message types (twitch.md, "Webhook deliveries").</summary>
public static class EventSubHeaders
{
    public const string MessageId = "Twitch-Eventsub-Message-Id";
    public const string MessageRetry = "Twitch-Eventsub-Message-Retry";
    public const string MessageType = "Twitch-Eventsub-Message-Type";
    public const string MessageSignature = "Twitch-Eventsub-Message-Signature";
    public const string MessageTimestamp = "Twitch-Eventsub-Message-Timestamp";
    public const string SubscriptionType = "Twitch-Eventsub-Subscription-Type";
    public const string SubscriptionVersion = "Twitch-Eventsub-Subscription-Version";

    public const string Notification = "notification";
    public const string Verification = "webhook_callback_verification";
    public const string Revocation = "revocation";

    /// <summary>The one subscription type ChatPulse subscribes to and reads (also sent as <see cref="SubscriptionType"/>).</summary>
    public const string ChatMessageType = "channel.chat.message";

    /// <summary>The message type as a bounded metric tag: one of the three known values, else "other".</summary>
    public static string MessageTypeTag(string? messageType) => messageType switch
    {
        Notification => Notification,
        Verification => Verification,
        Revocation => Revocation,
        null or "" => "none",
        _ => "other",
    };
}

using System.Text.Json.Serialization;

namespace ChatPulse.Api.Twitch.Webhook;

// Only the fields ChatPulse reads; everything else in Twitch's bodies is skipped, so new fields and nulls are harmless.

/// <summary>Any EventSub body: a challenge (subscription or conduit-shard form), a notification or a revocation.</summary>
internal sealed record EventSubEnvelope(string? Challenge, DeliverySubscription? Subscription);

/// <summary>The same, read together with a chat event in one pass (the hot path).</summary>
internal sealed record ChatEnvelope(string? Challenge, DeliverySubscription? Subscription, ChatMessageEvent? Event);

/// <summary>The <c>subscription</c> a delivery names (Helix's full record is <see cref="Clients.EventSubSubscription"/>).</summary>
internal sealed record DeliverySubscription(string? Id, string? Type, string? Status, string? Version);

internal sealed record ChatMessageEvent(
    string? BroadcasterUserId,
    string? ChatterUserId,
    string? MessageId,
    ChatMessageBody? Message,
    string? SourceBroadcasterUserId,
    string? SourceMessageId);

internal sealed record ChatMessageBody(string? Text, IReadOnlyList<ChatFragment?>? Fragments)
{
    /// <summary>
    /// What the chatter typed: <c>text</c>, which already holds every fragment — emote names included — or,
    /// should Twitch ever omit it, the fragments' texts joined.
    /// </summary>
    public string VoteText() => Text ?? (Fragments is null ? "" : string.Concat(Fragments.Select(f => f?.Text)));
}

internal sealed record ChatFragment(string? Type, string? Text);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EventSubEnvelope))]
[JsonSerializable(typeof(ChatEnvelope))]
internal sealed partial class EventSubJsonContext : JsonSerializerContext;

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

/// <summary>
/// Twitch user ids are numeric strings (<c>"141981764"</c>). A signed body whose broadcaster or chatter id is anything
/// else is refused before the id reaches Postgres, a Redis key or a log line.
/// </summary>
internal static class TwitchUserId
{
    /// <summary>Far above today's 9–10 digits, far below what would make a key or a log line large.</summary>
    public const int MaxLength = 20;

    public static bool IsValid(string? id) => id is { Length: > 0 and <= MaxLength } && !id.AsSpan().ContainsAnyExceptInRange('0', '9');

    /// <summary>True when each id is a Twitch user id or absent (an event without one is ignored, not refused).</summary>
    public static bool AreValidOrAbsent(string? broadcasterId, string? chatterId) =>
        (string.IsNullOrEmpty(broadcasterId) || IsValid(broadcasterId)) && (string.IsNullOrEmpty(chatterId) || IsValid(chatterId));
}

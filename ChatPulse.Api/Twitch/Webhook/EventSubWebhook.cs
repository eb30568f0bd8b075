using System.Text;
using System.Text.Json;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Twitch.EventSub;
using ChatPulse.Api.Votes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Twitch.Webhook;

/// <summary>
/// <c>POST /webhooks/eventsub</c>: verifies, de-duplicates and answers Twitch's deliveries, and hands chat messages
/// to <see cref="VoteProcessor"/>. Bad input is a 4xx, never a 500; anything Twitch may add later is a 2xx.
/// </summary>
public sealed partial class EventSubWebhook(IOptions<TwitchOptions> twitch, VoteProcessor votes, RevocationInbox revocations,
    ChatPulseMetrics metrics, TimeProvider time, ILogger<EventSubWebhook> logger)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(twitch.Value.WebhookSecret);

    public async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var messageType = request.Headers[EventSubHeaders.MessageType].ToString();
        var subscriptionType = "none";
        Results<ContentHttpResult, NoContent, ProblemHttpResult> result;
        var verified = await EventSubVerifier.VerifyAsync(request, _key, time, cancellationToken);
        if (verified.Failure is { } failure)
        {
            result = failure;
        }
        else
        {
            using var delivery = verified.Delivery!;
            (result, subscriptionType) = await DispatchAsync(messageType, verified.MessageId, verified.SentAt, delivery, cancellationToken);
        }

        metrics.WebhookDeliveries.Add(1,
            new KeyValuePair<string, object?>("message_type", EventSubHeaders.MessageTypeTag(messageType)),
            new KeyValuePair<string, object?>("subscription_type", subscriptionType),
            new KeyValuePair<string, object?>("status", ((IStatusCodeHttpResult)result.Result).StatusCode));
        return result;
    }

    /// <summary>The webhook benchmark's baseline: the same reading and HMAC check as the webhook, then 204 — no parsing, no Redis.</summary>
    public async Task<Results<NoContent, ProblemHttpResult>> ReceiveBenchmarkBaselineAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var verified = await EventSubVerifier.VerifyAsync(request, _key, time, cancellationToken);
        verified.Delivery?.Dispose();
        return verified.Failure is { } failure ? failure : TypedResults.NoContent();
    }

    private async Task<(Results<ContentHttpResult, NoContent, ProblemHttpResult>, string SubscriptionType)> DispatchAsync(
        string messageType, string messageId, DateTimeOffset sentAt, SignedDelivery delivery, CancellationToken cancellationToken)
    {
        var (envelope, chatEventMalformed) = Parse(delivery.Body);
        if (envelope is null)
        {
            return (EventSubVerifier.Problem(StatusCodes.Status400BadRequest, "The body is not EventSub JSON."), "none");
        }

        var subscriptionType = SubscriptionTag(envelope.Subscription?.Type);
        switch (messageType)
        {
            case EventSubHeaders.Verification when !string.IsNullOrEmpty(envelope.Challenge):
                // Both forms: {challenge, subscription} and the conduit shard's {challenge, conduit_shard}.
                return (TypedResults.Text(envelope.Challenge, "text/plain", Encoding.UTF8, StatusCodes.Status200OK), subscriptionType);
            case EventSubHeaders.Verification:
                return (EventSubVerifier.Problem(StatusCodes.Status400BadRequest, "A verification without a challenge."), subscriptionType);
            case EventSubHeaders.Revocation:
                await revocations.ReceiveAsync(messageId, sentAt, envelope.Subscription, cancellationToken);
                return (TypedResults.NoContent(), subscriptionType);
            case EventSubHeaders.Notification when envelope.Subscription?.Type == EventSubHeaders.ChatMessageType && chatEventMalformed:
                return (EventSubVerifier.Problem(StatusCodes.Status400BadRequest, "The event is not a channel.chat.message event."), subscriptionType);
            case EventSubHeaders.Notification when envelope.Subscription?.Type == EventSubHeaders.ChatMessageType
                && !TwitchUserId.AreValidOrAbsent(envelope.Event?.BroadcasterUserId, envelope.Event?.ChatterUserId):
                return (EventSubVerifier.Problem(StatusCodes.Status400BadRequest, "The broadcaster or chatter id is not a Twitch user id."), subscriptionType);
            case EventSubHeaders.Notification when envelope.Subscription?.Type == EventSubHeaders.ChatMessageType:
                return (await ReceiveChatMessageAsync(messageId, sentAt, envelope.Event, cancellationToken), subscriptionType);
            default:
                // Other subscription types and message types Twitch may add: acknowledged, counted, ignored.
                return (TypedResults.NoContent(), subscriptionType);
        }
    }

    private async Task<NoContent> ReceiveChatMessageAsync(string messageId, DateTimeOffset sentAt, ChatMessageEvent? chat, CancellationToken cancellationToken)
    {
        if (chat is { BroadcasterUserId: { Length: > 0 } broadcaster, ChatterUserId: { Length: > 0 } chatter })
        {
            // Shared chat mirrors one message into several channels: its source id is the same in each copy.
            var chatMessageId = chat.SourceMessageId ?? chat.MessageId ?? messageId;
            // Answered within VoteProcessor.RedisBudget whatever Redis does; a vote Redis did not take is kept in
            // the buffer and replayed, so it is a 204 as well (a 5xx would only make Twitch redeliver it).
            await votes.ProcessAsync(new ChatVote(broadcaster, chatter, chatMessageId, chat.Message?.VoteText() ?? "", sentAt), cancellationToken);
        }
        else
        {
            LogIncompleteChatMessage(logger, LogText.Sanitize(messageId));
        }

        return TypedResults.NoContent();
    }

    /// <summary>
    /// One pass reads a chat event with the envelope. Another subscription type's event may not fit the chat shape;
    /// then the envelope alone is read again, and only a chat notification that does not fit is malformed.
    /// </summary>
    private static (ChatEnvelope? Envelope, bool ChatEventMalformed) Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            return (JsonSerializer.Deserialize(body, EventSubJsonContext.Default.ChatEnvelope), false);
        }
        catch (JsonException)
        {
        }

        try
        {
            return JsonSerializer.Deserialize(body, EventSubJsonContext.Default.EventSubEnvelope) is { } envelope
                ? (new ChatEnvelope(envelope.Challenge, envelope.Subscription, null), true)
                : (null, false);
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }

    private static string SubscriptionTag(string? type) => type switch
    {
        null or "" => "none",
        { Length: > 64 } => "other",
        _ => type,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignoring chat message delivery {MessageId} without broadcaster or chatter")]
    private static partial void LogIncompleteChatMessage(ILogger logger, string messageId);
}

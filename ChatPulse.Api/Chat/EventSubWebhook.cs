using System.Globalization;
using System.Text;
using System.Text.Json;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Votes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Chat;

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
        var verified = await VerifyAsync(request, _key, time, cancellationToken);
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

    /// <summary>The load tool's yardstick: the same reading and HMAC check as the webhook, then 204 — no parsing, no Redis.</summary>
    public async Task<Results<NoContent, ProblemHttpResult>> ReceiveBaselineAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var verified = await VerifyAsync(request, _key, time, cancellationToken);
        verified.Delivery?.Dispose();
        return verified.Failure is { } failure ? failure : TypedResults.NoContent();
    }

    /// <summary>Headers, size, signature and replay window; on success the caller owns (disposes) the delivery.</summary>
    internal static async Task<VerifiedDelivery> VerifyAsync(HttpRequest request, byte[] key, TimeProvider time, CancellationToken cancellationToken)
    {
        var headers = request.Headers;
        string messageId = headers[EventSubHeaders.MessageId].ToString(), timestamp = headers[EventSubHeaders.MessageTimestamp].ToString();
        var signature = headers[EventSubHeaders.MessageSignature].ToString();
        if (messageId.Length == 0 || timestamp.Length == 0 || signature.Length == 0 || headers[EventSubHeaders.MessageType].Count == 0)
        {
            return VerifiedDelivery.Fail(Problem(StatusCodes.Status400BadRequest, "Missing Twitch-Eventsub-Message-* headers."));
        }

        var delivery = await SignedDelivery.ReadAsync(request, messageId, timestamp, cancellationToken);
        if (delivery is null)
        {
            return VerifiedDelivery.Fail(Problem(StatusCodes.Status413PayloadTooLarge, $"The body exceeds {SignedDelivery.MaxBodyBytes} bytes."));
        }

        if (!EventSubSignature.Verify(key, delivery.SignedBytes, signature))
        {
            delivery.Dispose();
            return VerifiedDelivery.Fail(Problem(StatusCodes.Status403Forbidden, "The signature does not match."));
        }

        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var sentAt))
        {
            delivery.Dispose();
            return VerifiedDelivery.Fail(Problem(StatusCodes.Status400BadRequest, "The timestamp is not an RFC 3339 date."));
        }

        if ((time.GetUtcNow() - sentAt).Duration() > VoteProcessor.ReplayTolerance)
        {
            delivery.Dispose();
            return VerifiedDelivery.Fail(Problem(StatusCodes.Status403Forbidden, "The timestamp is more than 10 minutes from now."));
        }

        return new VerifiedDelivery(null, delivery, messageId, sentAt);
    }

    private async Task<(Results<ContentHttpResult, NoContent, ProblemHttpResult>, string SubscriptionType)> DispatchAsync(
        string messageType, string messageId, DateTimeOffset sentAt, SignedDelivery delivery, CancellationToken cancellationToken)
    {
        EventSubEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(delivery.Body, EventSubJsonContext.Default.EventSubEnvelope);
        }
        catch (JsonException)
        {
            return (Problem(StatusCodes.Status400BadRequest, "The body is not EventSub JSON."), "none");
        }

        if (envelope is null)
        {
            return (Problem(StatusCodes.Status400BadRequest, "The body is not EventSub JSON."), "none");
        }

        var subscriptionType = SubscriptionTag(envelope.Subscription?.Type);
        switch (messageType)
        {
            case EventSubHeaders.Verification when !string.IsNullOrEmpty(envelope.Challenge):
                // Both forms: {challenge, subscription} and the conduit shard's {challenge, conduit_shard}.
                return (TypedResults.Text(envelope.Challenge, "text/plain", Encoding.UTF8, StatusCodes.Status200OK), subscriptionType);
            case EventSubHeaders.Verification:
                return (Problem(StatusCodes.Status400BadRequest, "A verification without a challenge."), subscriptionType);
            case EventSubHeaders.Revocation:
                await revocations.ReceiveAsync(messageId, sentAt, envelope.Subscription, cancellationToken);
                return (TypedResults.NoContent(), subscriptionType);
            case EventSubHeaders.Notification when envelope.Subscription?.Type == EventSubHeaders.ChatMessageType:
                return (await ReceiveChatMessageAsync(messageId, sentAt, delivery, cancellationToken), subscriptionType);
            default:
                // Other subscription types and message types Twitch may add: acknowledged, counted, ignored.
                return (TypedResults.NoContent(), subscriptionType);
        }
    }

    private async Task<Results<ContentHttpResult, NoContent, ProblemHttpResult>> ReceiveChatMessageAsync(
        string messageId, DateTimeOffset sentAt, SignedDelivery delivery, CancellationToken cancellationToken)
    {
        ChatMessageEvent? chat;
        try
        {
            chat = JsonSerializer.Deserialize(delivery.Body, EventSubJsonContext.Default.ChatNotification)?.Event;
        }
        catch (JsonException)
        {
            return Problem(StatusCodes.Status400BadRequest, "The event is not a channel.chat.message event.");
        }

        if (chat is { BroadcasterUserId: { Length: > 0 } broadcaster, ChatterUserId: { Length: > 0 } chatter })
        {
            // Shared chat mirrors one message into several channels: its source id is the same in each copy.
            var chatMessageId = chat.SourceMessageId ?? chat.MessageId ?? messageId;
            await votes.ProcessAsync(new ChatVote(broadcaster, chatter, chatMessageId, chat.Message?.VoteText() ?? "", sentAt), cancellationToken);
        }
        else
        {
            LogIncompleteChatMessage(logger, messageId);
        }

        return TypedResults.NoContent();
    }

    private static string SubscriptionTag(string? type) => type switch
    {
        null or "" => "none",
        { Length: > 64 } => "other",
        _ => type,
    };

    internal static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignoring chat message delivery {MessageId} without broadcaster or chatter")]
    private static partial void LogIncompleteChatMessage(ILogger logger, string messageId);
}

/// <summary>The result of <see cref="EventSubWebhook.VerifyAsync"/>: a failure to answer with, or the verified delivery.</summary>
internal readonly record struct VerifiedDelivery(ProblemHttpResult? Failure, SignedDelivery? Delivery, string MessageId, DateTimeOffset SentAt)
{
    public static VerifiedDelivery Fail(ProblemHttpResult failure) => new(failure, null, "", default);
}

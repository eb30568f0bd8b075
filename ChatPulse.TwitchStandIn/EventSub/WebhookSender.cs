using System.Net.Http.Headers;
using System.Text;

namespace ChatPulse.TwitchStandIn.EventSub;

/// <summary>One EventSub message to one shard callback, with every <c>Twitch-Eventsub-*</c> header.</summary>
public sealed record WebhookMessage(
    string MessageId,
    string MessageType,
    string Timestamp,
    int Retry,
    string? SubscriptionType,
    string? SubscriptionVersion,
    byte[] Body,
    string Callback,
    string Secret);

/// <summary>What the callback answered: its status and body, or why nothing was answered.</summary>
public sealed record WebhookAnswer(int? Status, string Body, string? Error);

/// <summary>Posts signed EventSub messages, once each, and reports the answer.</summary>
public sealed class WebhookSender(HttpClient http, ILogger<WebhookSender> logger)
{
    private const int MaxAnswerChars = 2_000;

    public async Task<WebhookAnswer> SendAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, message.Callback)
        {
            Content = new ByteArrayContent(message.Body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var headers = request.Headers;
        headers.Add("Twitch-Eventsub-Message-Id", message.MessageId);
        headers.Add("Twitch-Eventsub-Message-Retry", message.Retry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        headers.Add("Twitch-Eventsub-Message-Type", message.MessageType);
        headers.Add("Twitch-Eventsub-Message-Timestamp", message.Timestamp);
        headers.Add("Twitch-Eventsub-Message-Signature", EventSubSignature.Compute(message.Secret, message.MessageId, message.Timestamp, message.Body));
        if (message.SubscriptionType is not null)
        {
            headers.Add("Twitch-Eventsub-Subscription-Type", message.SubscriptionType);
            headers.Add("Twitch-Eventsub-Subscription-Version", message.SubscriptionVersion ?? "1");
        }

        headers.UserAgent.ParseAdd("Twitch-Eventsub-Stand-In/1.0");
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            logger.LogInformation("EventSub {Type} {MessageId} → {Callback}: {Status}", message.MessageType, message.MessageId, message.Callback, (int)response.StatusCode);
            return new WebhookAnswer((int)response.StatusCode, body.Length > MaxAnswerChars ? body[..MaxAnswerChars] : body, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("EventSub {Type} {MessageId} → {Callback} failed: {Error}", message.MessageType, message.MessageId, message.Callback, e.Message);
            return new WebhookAnswer(null, "", e.Message);
        }
    }

    /// <summary>Raw UTF-8 body bytes of <paramref name="payload"/> in Twitch's snake_case JSON.</summary>
    public static byte[] Serialize<T>(T payload) =>
        Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(payload, StandInExtensions.Json));
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ChatPulse.Api.Twitch;
using ChatPulse.Api.Twitch.Webhook;

namespace ChatPulse.Tests.Twitch;

/// <summary>Builds EventSub deliveries the way Twitch sends them: bodies, headers and the HMAC signature.</summary>
public static class EventSubMessages
{
    public static string ChatMessage(string broadcasterId, string chatterId, string text, string? messageId = null,
        string? sourceMessageId = null, string? sourceBroadcasterId = null, string? fragmentsJson = null)
    {
        var fragments = fragmentsJson ?? $$"""[{"type":"text","text":{{Json(text)}},"cheermote":null,"emote":null,"mention":null}]""";
        return $$"""
            {"subscription":{"id":"{{Guid.NewGuid()}}","status":"enabled","type":"channel.chat.message","version":"1",
            "condition":{"broadcaster_user_id":"{{broadcasterId}}","user_id":"100000001"},
            "transport":{"method":"conduit","conduit_id":"bfcfc993-26b1-b876-44d9-afe75a379dac"},"created_at":"2023-11-06T18:11:47.492253549Z","cost":0},
            "event":{"broadcaster_user_id":"{{broadcasterId}}","broadcaster_user_login":"streamer","broadcaster_user_name":"Streamer",
            "chatter_user_id":"{{chatterId}}","chatter_user_login":"viewer","chatter_user_name":"Viewer",
            "message_id":"{{messageId ?? Guid.NewGuid().ToString()}}",
            "message":{"text":{{Json(text)}},"fragments":{{fragments}}},
            "color":"","badges":[],"message_type":"text","cheer":null,"reply":null,"channel_points_custom_reward_id":null,
            "source_broadcaster_user_id":{{Json(sourceBroadcasterId)}},"source_broadcaster_user_login":null,"source_broadcaster_user_name":null,
            "source_message_id":{{Json(sourceMessageId)}},"source_badges":null} }
            """;
    }

    public static string Revocation(string subscriptionId, string reason) => $$"""
        {"subscription":{"id":"{{subscriptionId}}","status":"{{reason}}","type":"channel.chat.message","version":"1",
        "condition":{"broadcaster_user_id":"1","user_id":"2"},"transport":{"method":"conduit","conduit_id":"c"},"created_at":"2023-11-06T18:11:47Z","cost":0} }
        """;

    /// <summary>A signed POST to the webhook. Leave a header out by passing null in <paramref name="omit"/>.</summary>
    public static HttpRequestMessage Request(string secret, string messageType, string body, string? messageId = null,
        DateTimeOffset? timestamp = null, string? signature = null, string? path = null, params string[] omit)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var id = messageId ?? Guid.NewGuid().ToString();
        var stamp = (timestamp ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'");
        var request = new HttpRequestMessage(HttpMethod.Post, path ?? TwitchExtensions.WebhookPath) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var headers = new Dictionary<string, string>
        {
            [EventSubHeaders.MessageId] = id,
            [EventSubHeaders.MessageRetry] = "0",
            [EventSubHeaders.MessageType] = messageType,
            [EventSubHeaders.MessageSignature] = signature ?? EventSubSignature.Sign(secret, id, stamp, bytes),
            [EventSubHeaders.MessageTimestamp] = stamp,
            [EventSubHeaders.SubscriptionType] = "channel.chat.message",
            [EventSubHeaders.SubscriptionVersion] = "1",
        };
        foreach (var (name, value) in headers.Where(h => !omit.Contains(h.Key)))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static string Json(string? value) => value is null ? "null" : JsonSerializer.Serialize(value);
}

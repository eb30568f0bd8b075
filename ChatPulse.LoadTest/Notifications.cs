using System.Net.Http.Headers;
using System.Text;
using ChatPulse.Api.Twitch.Webhook;

namespace ChatPulse.LoadTest;

/// <summary>
/// Correctly signed <c>channel.chat.message</c> notifications, each from a new chatter (so none is debounced)
/// with a new message id (so none is a duplicate): every one is a vote the API must count.
/// </summary>
public sealed class Notifications(string secret, string broadcasterId, Func<long, string>? text = null)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);
    private long _chatter = Random.Shared.NextInt64(1_000_000_000, 2_000_000_000);

    public HttpRequestMessage Next(string path)
    {
        var chatter = Interlocked.Increment(ref _chatter);
        var messageId = Guid.NewGuid().ToString();
        var timestamp = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'");
        var body = Encoding.UTF8.GetBytes(Body(chatter, messageId, text?.Invoke(chatter) ?? (chatter % 3 == 0 ? "no" : "yes")));
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        var headers = request.Headers;
        headers.TryAddWithoutValidation(EventSubHeaders.MessageId, messageId);
        headers.TryAddWithoutValidation(EventSubHeaders.MessageRetry, "0");
        headers.TryAddWithoutValidation(EventSubHeaders.MessageType, EventSubHeaders.Notification);
        headers.TryAddWithoutValidation(EventSubHeaders.MessageTimestamp, timestamp);
        headers.TryAddWithoutValidation(EventSubHeaders.MessageSignature, Sign(messageId, timestamp, body));
        headers.TryAddWithoutValidation(EventSubHeaders.SubscriptionType, EventSubHeaders.ChatMessageType);
        headers.TryAddWithoutValidation(EventSubHeaders.SubscriptionVersion, "1");
        return request;
    }

    private string Sign(string messageId, string timestamp, byte[] body)
    {
        Span<byte> signed = stackalloc byte[messageId.Length + timestamp.Length + body.Length];
        var written = Encoding.ASCII.GetBytes(messageId, signed);
        written += Encoding.ASCII.GetBytes(timestamp, signed[written..]);
        body.CopyTo(signed[written..]);
        return EventSubSignature.Prefix + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(_key, signed));
    }

    // The shape Twitch sends for channel.chat.message, about 1.2 KB.
    private string Body(long chatter, string messageId, string text) => $$"""
        {"subscription":{"id":"0b7f3361-672b-4d39-b307-dd5b576c9b27","status":"enabled","type":"channel.chat.message","version":"1","condition":{"broadcaster_user_id":"{{broadcasterId}}","user_id":"100000001"},"transport":{"method":"conduit","conduit_id":"bfcfc993-26b1-b876-44d9-afe75a379dac"},"created_at":"2023-11-06T18:11:47.492253549Z","cost":0},"event":{"broadcaster_user_id":"{{broadcasterId}}","broadcaster_user_login":"loadtest","broadcaster_user_name":"LoadTest","chatter_user_id":"{{chatter}}","chatter_user_login":"viewer{{chatter}}","chatter_user_name":"Viewer{{chatter}}","message_id":"{{messageId}}","message":{"text":"{{text}}","fragments":[{"type":"text","text":"{{text}}","cheermote":null,"emote":null,"mention":null}]},"color":"#00FF7F","badges":[{"set_id":"subscriber","id":"12","info":"16"}],"message_type":"text","cheer":null,"reply":null,"channel_points_custom_reward_id":null,"source_broadcaster_user_id":null,"source_broadcaster_user_login":null,"source_broadcaster_user_name":null,"source_message_id":null,"source_badges":null} }
        """;
}

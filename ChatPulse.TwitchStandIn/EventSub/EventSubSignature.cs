using System.Security.Cryptography;
using System.Text;

namespace ChatPulse.TwitchStandIn.EventSub;

/// <summary>
/// Twitch's delivery signature: HMAC-SHA256 keyed with the shard secret over the bytes of the message id, the
/// timestamp header exactly as sent, and the raw body; written <c>sha256=</c> + lowercase hex.
/// </summary>
public static class EventSubSignature
{
    public const string Prefix = "sha256=";

    public static string Compute(string secret, string messageId, string timestamp, ReadOnlySpan<byte> body)
    {
        var idBytes = Encoding.UTF8.GetBytes(messageId);
        var timestampBytes = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[idBytes.Length + timestampBytes.Length + body.Length];
        idBytes.CopyTo(message, 0);
        timestampBytes.CopyTo(message, idBytes.Length);
        body.CopyTo(message.AsSpan(idBytes.Length + timestampBytes.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return Prefix + Convert.ToHexStringLower(mac);
    }
}

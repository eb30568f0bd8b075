using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ChatPulse.Api.Twitch.Webhook;

/// <summary>
/// Twitch's webhook signature: <c>sha256=</c> + lowercase hex of HMAC-SHA256 keyed with the shard secret over the
/// message id, the timestamp header exactly as received and the raw body, in that order.
/// </summary>
public static class EventSubSignature
{
    public const string Prefix = "sha256=";
    private const int HashBytes = 32;

    /// <summary>
    /// True when <paramref name="signatureHeader"/> is the HMAC of <paramref name="signedBytes"/> (id + timestamp + body),
    /// compared in constant time. A malformed header is simply a mismatch.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> signedBytes, ReadOnlySpan<char> signatureHeader)
    {
        if (signatureHeader.Length != Prefix.Length + (HashBytes * 2) || !signatureHeader.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashBytes];
        if (Convert.FromHexString(signatureHeader[Prefix.Length..], expected, out _, out var written) != OperationStatus.Done
            || written != HashBytes)
        {
            return false;
        }

        Span<byte> actual = stackalloc byte[HashBytes];
        HMACSHA256.HashData(key, signedBytes, actual);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>The header value Twitch would send (for tests, the stand-in and the load tool).</summary>
    public static string Sign(string secret, string messageId, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefixLength = Encoding.UTF8.GetByteCount(messageId) + Encoding.UTF8.GetByteCount(timestamp);
        var signed = new byte[prefixLength + body.Length];
        var written = Encoding.UTF8.GetBytes(messageId, signed);
        written += Encoding.UTF8.GetBytes(timestamp, signed.AsSpan(written));
        body.CopyTo(signed.AsSpan(written));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}

using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Twitch.Webhook;

/// <summary>Twitch's EventSub webhook headers and message types, as every delivery carries them.</summary>
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

/// <summary>The checks every delivery passes before its body is read as JSON; shared by the webhook and its baseline.</summary>
internal static class EventSubVerifier
{
    /// <summary>
    /// Headers, size, signature and replay window; on success the caller owns (disposes) the delivery. A body the
    /// server cannot read (bad chunking, cut short) throws the framework's BadHttpRequestException, which
    /// Platform's BadRequestExceptionHandler answers with its own status.
    /// </summary>
    public static async Task<VerifiedDelivery> VerifyAsync(HttpRequest request, byte[] key, TimeProvider time, CancellationToken cancellationToken)
    {
        var headers = request.Headers;
        string messageId = headers[EventSubHeaders.MessageId].ToString(), timestamp = headers[EventSubHeaders.MessageTimestamp].ToString();
        var signature = headers[EventSubHeaders.MessageSignature].ToString();
        // An empty header is as missing as an absent one: every delivery Twitch sends names its message type.
        if (messageId.Length == 0 || timestamp.Length == 0 || signature.Length == 0 || headers[EventSubHeaders.MessageType].ToString().Length == 0)
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

        if (!Rfc3339Timestamp.TryParse(timestamp, out var sentAt))
        {
            delivery.Dispose();
            return VerifiedDelivery.Fail(Problem(StatusCodes.Status400BadRequest, "The timestamp is not an RFC 3339 date."));
        }

        if (!ReplayWindow.Admits(sentAt, time.GetUtcNow()))
        {
            delivery.Dispose();
            return VerifiedDelivery.Fail(Problem(StatusCodes.Status403Forbidden, "The timestamp is more than 10 minutes from now."));
        }

        return new VerifiedDelivery(null, delivery, messageId, sentAt);
    }

    public static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);
}

/// <summary>The result of <see cref="EventSubVerifier.VerifyAsync"/>: a failure to answer with, or the verified delivery.</summary>
internal readonly record struct VerifiedDelivery(ProblemHttpResult? Failure, SignedDelivery? Delivery, string MessageId, DateTimeOffset SentAt)
{
    public static VerifiedDelivery Fail(ProblemHttpResult failure) => new(failure, null, "", default);
}

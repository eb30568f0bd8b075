using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Twitch.Webhook;

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

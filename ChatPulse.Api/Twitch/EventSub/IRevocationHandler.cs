namespace ChatPulse.Api.Twitch.EventSub;

/// <summary>
/// Told when Twitch revokes a subscription (EventSub <c>revocation</c> message): <see cref="QueuedRevocationHandler"/>.
/// Called inline in the webhook request: keep it quick and queue slow work (Twitch wants a 2xx within seconds).
/// An interface for one seam: WebhookMetricsTests records the calls the webhook makes.
/// </summary>
public interface IRevocationHandler
{
    /// <param name="reason">The subscription's <c>status</c>, e.g. <c>authorization_revoked</c>, <c>user_removed</c>.</param>
    Task HandleRevocationAsync(string subscriptionId, string reason, CancellationToken cancellationToken);
}

namespace ChatPulse.Api.Chat;

/// <summary>
/// Told when Twitch revokes a subscription (EventSub <c>revocation</c> message). The EventSub plumbing
/// (SubscriptionManager) replaces the logging default registered by <see cref="ChatExtensions.AddChat"/>.
/// Called inline in the webhook request: keep it quick and queue slow work (Twitch wants a 2xx within seconds).
/// </summary>
public interface IRevocationHandler
{
    /// <param name="reason">The subscription's <c>status</c>, e.g. <c>authorization_revoked</c>, <c>user_removed</c>.</param>
    Task HandleRevocationAsync(string subscriptionId, string reason, CancellationToken cancellationToken);
}

/// <summary>Default until the EventSub plumbing lands: records the revocation in the log.</summary>
internal sealed partial class LoggingRevocationHandler(ILogger<LoggingRevocationHandler> logger) : IRevocationHandler
{
    public Task HandleRevocationAsync(string subscriptionId, string reason, CancellationToken cancellationToken)
    {
        LogRevoked(logger, Platform.LogText.Sanitize(subscriptionId), Platform.LogText.Sanitize(reason));
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twitch revoked EventSub subscription {SubscriptionId}: {Reason}")]
    private static partial void LogRevoked(ILogger logger, string subscriptionId, string reason);
}

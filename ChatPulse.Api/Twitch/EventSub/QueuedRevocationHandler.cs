using System.Threading.Channels;

namespace ChatPulse.Api.Twitch.EventSub;

/// <summary>
/// Connects the webhook's revocation deliveries to <see cref="SubscriptionManager"/>. The webhook must answer
/// within seconds, while re-subscribing talks to Twitch with retries, so revocations are queued and handled
/// here in the background, one at a time.
/// </summary>
internal sealed class QueuedRevocationHandler(SubscriptionManager subscriptions, ILogger<QueuedRevocationHandler> logger)
    : BackgroundService, IRevocationHandler
{
    private readonly Channel<(string SubscriptionId, string Reason)> _queue =
        Channel.CreateBounded<(string, string)>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.Wait });

    public async Task HandleRevocationAsync(string subscriptionId, string reason, CancellationToken cancellationToken) =>
        await _queue.Writer.WriteAsync((subscriptionId, reason), cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (subscriptionId, reason) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var outcome = await subscriptions.HandleRevocationAsync(subscriptionId, reason, stoppingToken);
                logger.LogInformation("Revocation of {SubscriptionId} ({Reason}): {Outcome}", subscriptionId, reason, outcome);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The start-up and periodic reconciliation re-subscribe whatever this missed.
                logger.LogError(e, "Handling the revocation of {SubscriptionId} ({Reason}) failed", subscriptionId, reason);
            }
        }
    }
}

using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Twitch.EventSub;

/// <summary>
/// When a streamer logs in, subscribe the bot to their chat. Login never fails because of Twitch: a failed
/// subscribe is logged and left to the maintenance loop, which is woken to retry.
/// </summary>
public sealed class StreamerChatSubscriber(SubscriptionManager subscriptions, StreamerStore streamers, ReconcileTrigger trigger,
    ILogger<StreamerChatSubscriber> logger) : IStreamerConnectedHandler
{
    public async Task OnStreamerConnectedAsync(Streamer streamer, CancellationToken cancellationToken)
    {
        try
        {
            // A login is a fresh grant: a streamer who had to reconnect is subscribable again.
            await streamers.ClearNeedsReconnectAsync(streamer.Id, cancellationToken);
            await subscriptions.SubscribeAsync(streamer, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not subscribe to {Login}'s chat at login; the maintenance loop will retry", streamer.Login);
            trigger.Request();
        }
    }
}

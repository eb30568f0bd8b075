using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// Carries dashboard actions to the overlays this replica serves, as they happen: a saved configuration
/// (labels, mode, theme), "Reset to center", and a rotated overlay id (its sockets close, not to reconnect).
/// </summary>
internal sealed class OverlayStreamerEvents(
    OverlayHub hub,
    OverlayDirectory overlays,
    StreamerEvents events,
    ChannelDirectory directory,
    ISentimentSource sentiment,
    IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        events.Subscribe(OnEventAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task OnEventAsync(StreamerEvent streamerEvent)
    {
        var stopping = lifetime.ApplicationStopping;
        switch (streamerEvent.Kind)
        {
            case StreamerEventKind.OverlayRotated when streamerEvent.OldOverlayId is { } oldId:
                overlays.Forget(oldId);
                hub.CloseRotated(streamerEvent.BroadcasterId, oldId);
                break;

            case StreamerEventKind.ConfigurationChanged when hub.FindFeed(streamerEvent.BroadcasterId) is { } feed:
                directory.Invalidate(streamerEvent.BroadcasterId); // whatever order the listeners run in
                if (await directory.GetAsync(streamerEvent.BroadcasterId, stopping) is { } channel)
                {
                    feed.Group.Apply(channel.Configuration);
                }

                break;

            case StreamerEventKind.VotesReset when hub.FindFeed(streamerEvent.BroadcasterId) is { } feed:
                feed.Group.Apply(await sentiment.GetAsync(streamerEvent.BroadcasterId, stopping), force: true);
                break;
        }
    }
}

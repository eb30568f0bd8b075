using System.Text.Json;
using ChatPulse.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace ChatPulse.Api.Streamers;

public enum StreamerEventKind
{
    /// <summary>The configuration was saved (new labels, triggers, mode, theme, memory).</summary>
    ConfigurationChanged,

    /// <summary>The overlay id was rotated; sockets on the old id must close and not reconnect.</summary>
    OverlayRotated,

    /// <summary>"Reset to center": the votes were cleared.</summary>
    VotesReset,

    /// <summary>A poll started, ended or was cancelled (Polls/): the channel's cached running poll is outdated.</summary>
    PollChanged,
}

/// <summary>Something a streamer did on the dashboard that every replica must learn about at once.</summary>
/// <param name="OldOverlayId">For <see cref="StreamerEventKind.OverlayRotated"/>: the id that stopped working.</param>
public sealed record StreamerEvent(StreamerEventKind Kind, string BroadcasterId, Guid? OldOverlayId = null);

/// <summary>
/// Cross-replica notifications over Redis pub/sub. Every replica subscribes once at start-up; in-process
/// listeners (the configuration cache, overlay sockets) register with <see cref="Subscribe"/>.
/// </summary>
public sealed class StreamerEvents(IConnectionMultiplexer redis, ILogger<StreamerEvents> logger) : BackgroundService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(RedisKeys.StreamerEventsChannel);
    private readonly List<Func<StreamerEvent, Task>> _listeners = [];
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this replica receives events.</summary>
    public Task Subscribed => _subscribed.Task;

    public async Task PublishAsync(StreamerEvent streamerEvent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(streamerEvent));
    }

    /// <summary>Registers an in-process listener; it runs for events from every replica, this one included.</summary>
    public void Subscribe(Func<StreamerEvent, Task> listener)
    {
        lock (_listeners)
        {
            _listeners.Add(listener);
        }
    }

    /// <summary>
    /// Subscribes once Redis answers; until then readiness already reports Redis as failing, so start-up must
    /// not fail here. StackExchange.Redis restores the subscription by itself after later reconnects.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var queue = await redis.GetSubscriber().SubscribeAsync(Channel);
                queue.OnMessage(Dispatch);
                _subscribed.TrySetResult();
                return;
            }
            catch (RedisException e)
            {
                logger.LogWarning(e, "Subscribing to streamer events failed; retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task Dispatch(ChannelMessage message)
    {
        StreamerEvent? streamerEvent;
        try
        {
            streamerEvent = JsonSerializer.Deserialize<StreamerEvent>((string)message.Message!);
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "Ignoring a malformed streamer event");
            return;
        }

        if (streamerEvent is null)
        {
            return;
        }

        Func<StreamerEvent, Task>[] listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            try
            {
                await listener(streamerEvent);
            }
            catch (Exception e)
            {
                logger.LogError(e, "A listener failed on {Kind} for {Broadcaster}", streamerEvent.Kind, streamerEvent.BroadcasterId);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (redis.IsConnected)
        {
            await redis.GetSubscriber().UnsubscribeAsync(Channel);
        }
    }
}

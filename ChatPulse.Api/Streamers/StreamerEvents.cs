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
}

/// <summary>Something a streamer did on the dashboard that every replica must learn about at once.</summary>
/// <param name="OldOverlayId">For <see cref="StreamerEventKind.OverlayRotated"/>: the id that stopped working.</param>
public sealed record StreamerEvent(StreamerEventKind Kind, string BroadcasterId, Guid? OldOverlayId = null);

/// <summary>
/// Cross-replica notifications over Redis pub/sub. Every replica subscribes once at start-up; in-process
/// listeners (the configuration cache, overlay sockets) register with <see cref="Subscribe"/>.
/// </summary>
public sealed class StreamerEvents(IConnectionMultiplexer redis, ILogger<StreamerEvents> logger) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(RedisKeys.StreamerEventsChannel);
    private static readonly TimeSpan SubscribeRetry = TimeSpan.FromSeconds(2);
    private readonly List<Func<StreamerEvent, Task>> _listeners = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

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

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis.IsConnected && await TrySubscribeAsync())
        {
            return;
        }

        // Redis is down at start: readiness reports it; keep trying in the background rather than stop the process.
        _retrying = Task.Run(() => SubscribeUntilDoneAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _retrying;
            await redis.GetSubscriber().UnsubscribeAsync(Channel);
        }
        catch (Exception e) when (e is RedisException or OperationCanceledException)
        {
            // Shutting down without Redis: nothing to unsubscribe from.
        }
    }

    private async Task SubscribeUntilDoneAsync(CancellationToken stopping)
    {
        while (!await TrySubscribeAsync())
        {
            await Task.Delay(SubscribeRetry, stopping);
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            var queue = await redis.GetSubscriber().SubscribeAsync(Channel);
            queue.OnMessage(OnMessageAsync);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Could not subscribe to streamer events; retrying in {Delay}", SubscribeRetry);
            return false;
        }
    }

    private async Task OnMessageAsync(ChannelMessage message)
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
}

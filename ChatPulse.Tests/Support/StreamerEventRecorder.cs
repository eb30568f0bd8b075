using System.Collections.Concurrent;
using System.Text.Json;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using StackExchange.Redis;

namespace ChatPulse.Tests.Support;

/// <summary>Listens on the real cross-replica channel, as another replica would, and keeps what arrives.</summary>
public sealed class StreamerEventRecorder : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;
    private readonly ConcurrentQueue<StreamerEvent> _events = new();

    private StreamerEventRecorder(ConnectionMultiplexer redis) => _redis = redis;

    public static async Task<StreamerEventRecorder> StartAsync(string redisConnectionString)
    {
        var recorder = new StreamerEventRecorder(await ConnectionMultiplexer.ConnectAsync(redisConnectionString));
        var queue = await recorder._redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisKeys.StreamerEventsChannel));
        queue.OnMessage(message =>
        {
            if (JsonSerializer.Deserialize<StreamerEvent>((string)message.Message!) is { } e)
            {
                recorder._events.Enqueue(e);
            }
        });
        return recorder;
    }

    /// <summary>Waits for an event of <paramref name="kind"/> for <paramref name="broadcasterId"/>.</summary>
    public async Task<StreamerEvent> WaitForAsync(StreamerEventKind kind, string broadcasterId)
    {
        StreamerEvent? found = null;
        await Waits.Until(() => Task.FromResult((found = _events.FirstOrDefault(e => e.Kind == kind && e.BroadcasterId == broadcasterId)) is not null),
            Waits.Short, $"{kind} for {broadcasterId}");
        return found!;
    }

    public bool Any(string broadcasterId) => _events.Any(e => e.BroadcasterId == broadcasterId);

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}

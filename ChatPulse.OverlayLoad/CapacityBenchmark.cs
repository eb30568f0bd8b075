using System.Diagnostics;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using StackExchange.Redis;

namespace ChatPulse.OverlayLoad;

/// <summary>
/// Opens many overlay sockets on the one API replica, holds them past an app-level ping, sends every
/// broadcaster an update, and reads the replica's working set before and after.
/// </summary>
internal sealed class CapacityBenchmark(LocalCluster cluster, StreamerStore store, IConnectionMultiplexer redis)
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(30); // past the 25 s app-level ping

    public async Task RunAsync(int socketCount, int broadcasters, CancellationToken cancellationToken)
    {
        Console.WriteLine($"capacity: {socketCount:N0} sockets over {broadcasters:N0} broadcasters on one replica");
        var streamers = await Streamers.CreateAsync(store, broadcasters, cancellationToken);
        var baseline = await SettledWorkingSetAsync(cancellationToken);

        var latest = new long[socketCount];
        using var stop = new CancellationTokenSource();
        var sockets = new LoadSocket[socketCount];
        var receiving = new Task[socketCount];
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(Enumerable.Range(0, socketCount).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var b = i % broadcasters;
                sockets[i] = await LoadSocket.ConnectAsync(cluster.ApiAddress, streamers[b].OverlayId, b, (_, seq, _) => latest[i] = seq, cancellationToken);
                receiving[i] = sockets[i].RunAsync(stop.Token);
            }
            finally
            {
                gate.Release();
            }
        }));
        await LatencyBenchmark.Until(() => sockets.All(s => s.Frames > 0), "every socket's first frame", cancellationToken, seconds: 120);
        var connected = clock.Elapsed;
        Console.WriteLine($"  all {socketCount:N0} connected in {connected.TotalSeconds:0.0} s; holding {Hold.TotalSeconds:0} s");
        var afterConnect = await SettledWorkingSetAsync(cancellationToken);

        await Task.Delay(Hold, cancellationToken);
        var open = sockets.Count(s => s.Open);
        var subscriber = redis.GetSubscriber();
        clock.Restart();
        foreach (var streamer in streamers)
        {
            var json = $$"""{"broadcasterId":"{{streamer.TwitchUserId}}","for":1,"against":1,"at":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""";
            subscriber.Publish(RedisChannel.Literal(RedisKeys.SentimentChannel(streamer.TwitchUserId)), json, CommandFlags.FireAndForget);
        }

        await LatencyBenchmark.Until(() => latest.All(seq => seq == 1), "the update on every socket", cancellationToken);
        var fannedOut = clock.Elapsed;
        var afterHold = await SettledWorkingSetAsync(cancellationToken);

        await stop.CancelAsync();
        await Task.WhenAll(receiving);
        await Task.WhenAll(sockets.Select(s => s.CloseAsync()));

        const double mb = 1024 * 1024;
        Console.WriteLine($"  open after {Hold.TotalSeconds:0} s: {open:N0}");
        Console.WriteLine($"  one update per broadcaster reached all {socketCount:N0} sockets in {fannedOut.TotalMilliseconds:0} ms");
        Console.WriteLine($"  API working set: baseline {baseline / mb:0.0} MB, connected {afterConnect / mb:0.0} MB, after hold + update {afterHold / mb:0.0} MB");
        Console.WriteLine($"  extra working set: {(afterHold - baseline) / mb:0.0} MB = {(afterHold - baseline) / 1024.0 / socketCount:0.0} KB per socket");
    }

    // The median of a few readings a second apart, so one GC or allocation burst does not decide the number.
    private async Task<long> SettledWorkingSetAsync(CancellationToken cancellationToken)
    {
        var readings = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            readings.Add(cluster.ApiWorkingSet());
        }

        readings.Sort();
        return readings[readings.Count / 2];
    }
}

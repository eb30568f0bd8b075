using System.Diagnostics;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using StackExchange.Redis;

namespace ChatPulse.OverlayLoad;

/// <summary>
/// Publishes sentiment snapshots on Redis at a chat rate, as the vote engine does after each applied vote, and
/// times them to the overlay frames that carry them. Each broadcaster's <c>for</c> count is a sequence number,
/// so a frame tells exactly which publish it reflects.
/// </summary>
internal sealed class LatencyBenchmark(LocalCluster cluster, StreamerStore store, IConnectionMultiplexer redis)
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public async Task RunAsync(int rate, TimeSpan duration, int broadcasters, int socketsEach, CancellationToken cancellationToken)
    {
        Console.WriteLine($"latency: {rate:N0} msg/s for {duration.TotalSeconds:0} s over {broadcasters} broadcasters x {socketsEach} sockets");
        var streamers = await Streamers.CreateAsync(store, broadcasters, cancellationToken);
        var capacity = (int)(rate * duration.TotalSeconds / broadcasters) + 16;
        var publishedAt = streamers.Select(_ => new long[capacity]).ToArray();
        var frames = new Dictionary<LoadSocket, List<(long Seq, long At)>>();
        using var stop = new CancellationTokenSource();
        var sockets = new List<LoadSocket>();
        for (var b = 0; b < broadcasters; b++)
        {
            for (var s = 0; s < socketsEach; s++)
            {
                var socket = await LoadSocket.ConnectAsync(cluster.ApiAddress, streamers[b].OverlayId, b,
                    (self, seq, at) => frames[self].Add((seq, at)), cancellationToken);
                frames[socket] = new List<(long, long)>(capacity);
                sockets.Add(socket);
            }
        }

        var receiving = sockets.Select(s => s.RunAsync(stop.Token)).ToList();
        await Until(() => sockets.All(s => s.Frames > 0), "first frames", cancellationToken);

        var cpuBefore = Stats.CpuSeconds(cluster.ApiProcessId);
        var (sent, elapsed, sequence) = await PublishAsync(streamers, publishedAt, rate, duration, cancellationToken);
        await Until(() => sockets.All(s => frames[s][^1].Seq == sequence[s.Broadcaster]), "last frames", cancellationToken);
        var cpu = Stats.CpuSeconds(cluster.ApiProcessId) - cpuBefore;
        await stop.CancelAsync();
        await Task.WhenAll(receiving);
        await Task.WhenAll(sockets.Select(s => s.CloseAsync()));

        var warmUpEnd = publishedAt.Select(p => p[1]).Min() + (long)(WarmUp.TotalSeconds * Stopwatch.Frequency);
        var freshness = new List<double>();
        var delivery = new List<double>();
        foreach (var (socket, received) in frames)
        {
            var published = publishedAt[socket.Broadcaster];
            var next = 0;
            for (var seq = 1L; seq <= sequence[socket.Broadcaster]; seq++)
            {
                while (received[next].Seq < seq)
                {
                    next++;
                }

                if (published[seq] >= warmUpEnd)
                {
                    delivery.Add(Stats.ToMilliseconds(received[next].At - published[seq]));
                }
            }

            freshness.AddRange(received.Where(f => f.Seq > 0 && published[f.Seq] >= warmUpEnd).Select(f => Stats.ToMilliseconds(f.At - published[f.Seq])));
        }

        var framesPerSocketSecond = frames.Values.Average(f => f.Count - 1) / elapsed.TotalSeconds;
        Console.WriteLine($"  published {sent:N0} in {elapsed.TotalSeconds:0.00} s ({sent / elapsed.TotalSeconds:N0}/s); API CPU {cpu / elapsed.TotalSeconds * 100:0}% of one core");
        Console.WriteLine($"  frames per socket per second: {framesPerSocketSecond:0.0}");
        Console.WriteLine($"  frame freshness (publish of the state shown -> frame received): {Stats.Summary(freshness)}");
        Console.WriteLine($"  update delay (every publish -> first frame showing it or newer): {Stats.Summary(delivery)}");
    }

    private async Task<(long Sent, TimeSpan Elapsed, long[] Sequence)> PublishAsync(IReadOnlyList<Streamer> streamers, long[][] publishedAt,
        int rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var subscriber = redis.GetSubscriber();
        var channels = streamers.Select(s => RedisChannel.Literal(RedisKeys.SentimentChannel(s.TwitchUserId))).ToArray();
        var sequence = new long[streamers.Count];
        var total = (long)(rate * duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * rate));
            for (; sent < due; sent++)
            {
                var b = (int)(sent % streamers.Count);
                var seq = ++sequence[b];
                var json = $$"""{"broadcasterId":"{{streamers[b].TwitchUserId}}","for":{{seq}},"against":1,"at":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""";
                publishedAt[b][seq] = Stopwatch.GetTimestamp();
                subscriber.Publish(channels[b], json, CommandFlags.FireAndForget);
            }

            await Task.Delay(1, cancellationToken);
        }

        return (sent, clock.Elapsed, sequence);
    }

    internal static async Task Until(Func<bool> condition, string what, CancellationToken cancellationToken, int seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"timed out after {seconds} s waiting for {what}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }
}

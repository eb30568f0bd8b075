using System.Diagnostics;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using StackExchange.Redis;

namespace ChatPulse.LoadTest.Overlay;

/// <summary>
/// Opens many overlay sockets on the one API replica, holds them past an app-level ping, sends every
/// broadcaster an update, and reads the replica's working set before and after.
/// </summary>
public sealed class CapacityBenchmark(BenchmarkEnvironment environment, StreamerStore store, IConnectionMultiplexer redis, Figures figures)
{
    /// <summary>How often a long hold reports the working set, to show whether it settles.</summary>
    private static readonly TimeSpan HoldReport = TimeSpan.FromSeconds(60);

    public async Task RunAsync(int socketCount, int broadcasters, TimeSpan hold, CancellationToken cancellationToken)
    {
        Console.WriteLine($"overlay-capacity: {socketCount:N0} sockets over {broadcasters:N0} broadcasters on one replica");
        var streamers = await BenchmarkStreamers.CreateAsync(store, broadcasters, cancellationToken);
        var baseline = await SettledWorkingSetAsync(cancellationToken);
        var gcAtBaseline = await GcReportAsync(cancellationToken);

        var latest = new long[socketCount];
        using var stop = new CancellationTokenSource();
        var sockets = new OverlaySocket[socketCount];
        var receiving = new Task[socketCount];
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(Enumerable.Range(0, socketCount).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var b = i % broadcasters;
                sockets[i] = await OverlaySocket.ConnectAsync(environment.ApiAddress, streamers[b].OverlayId, b, (_, total, _) => latest[i] = total, cancellationToken);
                receiving[i] = sockets[i].RunAsync(stop.Token);
            }
            finally
            {
                gate.Release();
            }
        }));
        await LatencyBenchmark.Until(() => sockets.All(s => s.Frames > 0), "every socket's first frame", cancellationToken, seconds: 120);
        var connected = clock.Elapsed;
        Console.WriteLine($"  all {socketCount:N0} connected in {connected.TotalSeconds:0.0} s; holding {hold.TotalSeconds:0} s");
        var afterConnect = await SettledWorkingSetAsync(cancellationToken);

        const double mb = 1024 * 1024;
        var held = Stopwatch.StartNew();
        while (hold - held.Elapsed > HoldReport)
        {
            await Task.Delay(HoldReport, cancellationToken);
            var now = Stats.WorkingSet(environment.Api.Id);
            Console.WriteLine($"  held {held.Elapsed.TotalSeconds:0} s: working set +{(now.Resident - baseline.Resident) / mb:0.0} MB, {sockets.Count(s => s.Open):N0} open");
        }

        if (hold - held.Elapsed is { Ticks: > 0 } left)
        {
            await Task.Delay(left, cancellationToken);
        }

        var open = sockets.Count(s => s.Open);
        var subscriber = redis.GetSubscriber();
        clock.Restart();
        foreach (var streamer in streamers)
        {
            var json = $$"""{"broadcasterId":"{{streamer.TwitchUserId}}","for":1,"against":0,"at":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""";
            subscriber.Publish(RedisChannel.Literal(RedisKeys.SentimentChannel(streamer.TwitchUserId)), json, CommandFlags.FireAndForget);
        }

        await LatencyBenchmark.Until(() => latest.All(total => total == 1), "the update on every socket", cancellationToken);
        var fannedOut = clock.Elapsed;
        var afterHold = await SettledWorkingSetAsync(cancellationToken);

        await stop.CancelAsync();
        await Task.WhenAll(receiving);
        await Task.WhenAll(sockets.Select(s => s.CloseAsync()));

        Console.WriteLine($"  open after {hold.TotalSeconds:0} s: {open:N0}");
        Console.WriteLine($"  one update per broadcaster reached all {socketCount:N0} sockets in {fannedOut.TotalMilliseconds:0} ms");
        Console.WriteLine($"  API working set (VmRSS): baseline {baseline.Resident / mb:0.0} MB, connected {afterConnect.Resident / mb:0.0} MB, after hold + update {afterHold.Resident / mb:0.0} MB");
        Console.WriteLine($"  of it anonymous (RssAnon): baseline {baseline.Anonymous / mb:0.0} MB, after hold + update {afterHold.Anonymous / mb:0.0} MB");
        Console.WriteLine($"  GC at baseline: {gcAtBaseline}");
        Console.WriteLine($"  GC after hold + update: {await GcReportAsync(cancellationToken)}");
        Console.WriteLine($"  extra working set: {(afterHold.Resident - baseline.Resident) / mb:0.0} MB = {(afterHold.Resident - baseline.Resident) / 1024.0 / socketCount:0.0} KB per socket   target < 100 MB   {(afterHold.Resident - baseline.Resident < 100 * mb ? "met" : "MISSED")}");
        figures.Set("overlayCapacity", new System.Text.Json.Nodes.JsonObject
        {
            ["sockets"] = socketCount,
            ["broadcasters"] = broadcasters,
            ["holdSeconds"] = Figures.Number(hold.TotalSeconds),
            ["connectedSeconds"] = Figures.Number(connected.TotalSeconds),
            ["openAfterHold"] = open,
            ["fanOutMs"] = Figures.Number(fannedOut.TotalMilliseconds),
            ["workingSetMb"] = new System.Text.Json.Nodes.JsonObject
            {
                ["baseline"] = Figures.Number(baseline.Resident / mb),
                ["connected"] = Figures.Number(afterConnect.Resident / mb),
                ["afterHold"] = Figures.Number(afterHold.Resident / mb),
            },
            ["extraKbPerSocket"] = Figures.Number((afterHold.Resident - baseline.Resident) / 1024.0 / socketCount),
            ["extraUnder100MbMet"] = afterHold.Resident - baseline.Resident < 100 * mb,
        });
    }

    // The runtime's own numbers from the API's /metrics (System.Runtime meter): live heap after the last GC, and what the GC holds.
    private async Task<string> GcReportAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = environment.ApiAddress, Timeout = TimeSpan.FromSeconds(10) };
        var metrics = await ApiMetrics.ScrapeAsync(client, cancellationToken);
        double Sum(string metric) => metrics.Sum(metric) ?? 0;
        const double mb = 1024 * 1024;
        return $"heap after last GC {Sum("dotnet_gc_last_collection_heap_size_bytes") / mb:0.0} MB, " +
               $"committed {Sum("dotnet_gc_last_collection_memory_committed_size_bytes") / mb:0.0} MB, " +
               $"fragmentation {Sum("dotnet_gc_last_collection_heap_fragmentation_size_bytes") / mb:0.0} MB";
    }

    // The median of a few readings a second apart, so one GC or allocation burst does not decide the number.
    private async Task<(long Resident, long Anonymous)> SettledWorkingSetAsync(CancellationToken cancellationToken)
    {
        var readings = new List<(long Resident, long Anonymous)>();
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            readings.Add(Stats.WorkingSet(environment.Api.Id));
        }

        return readings.OrderBy(r => r.Resident).ElementAt(readings.Count / 2);
    }
}

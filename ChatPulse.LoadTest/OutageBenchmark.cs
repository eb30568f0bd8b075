using System.Diagnostics;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using ChatPulse.LoadTest.Overlay;
using StackExchange.Redis;

namespace ChatPulse.LoadTest;

/// <summary>
/// The outage run (README, "Load tool"): signed votes at a fixed open-loop rate over channels each watched by an
/// overlay socket; a few seconds in, Redis stops taking writes (so what it counted is read exactly), is killed
/// (SIGKILL), and after the outage starts again on the same port, empty. Reports the deliveries' answer times
/// during the outage, votes sent vs. counted (old Redis + new), and how long until every overlay shows the votes
/// sent before Redis returned.
/// </summary>
public sealed class OutageBenchmark(BenchmarkEnvironment environment, RedisServer redis, StreamerStore store, LoadOptions options, Figures figures)
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Before = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan After = TimeSpan.FromSeconds(15);

    /// <summary>README's answer bound for a delivery whatever Redis does (VoteProcessor.RedisBudget and the rest of the request).</summary>
    private const double BoundMs = 1000;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await MeasureAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && environment.Api.HasExited)
        {
            throw new InvalidOperationException($"The API exited with {environment.Api.ExitCode}:\n{string.Join('\n', ApiProcess.Output)}", e);
        }
    }

    private async Task MeasureAsync(CancellationToken cancellationToken)
    {
        int rate = options.OutageRate, broadcasters = options.OutageBroadcasters;
        Console.WriteLine($"redis-outage: {rate:N0} votes/s over {broadcasters} channels, one overlay socket each; Redis killed " +
                          $"{Before.TotalSeconds:0} s in, back (empty) {options.Outage.TotalSeconds:0} s later; {After.TotalSeconds:0} s more votes");
        var streamers = await BenchmarkStreamers.CreateAsync(store, broadcasters, cancellationToken);
        var frames = Enumerable.Range(0, broadcasters).Select(_ => new List<(long Total, long At)>()).ToArray();
        var sockets = new List<OverlaySocket>();
        for (var b = 0; b < broadcasters; b++)
        {
            sockets.Add(await OverlaySocket.ConnectAsync(environment.ApiAddress, streamers[b].OverlayId, b, (self, total, at) =>
            {
                lock (frames[self.Broadcaster])
                {
                    frames[self.Broadcaster].Add((total, at));
                }
            }, cancellationToken));
        }

        using var stop = new CancellationTokenSource();
        var receiving = sockets.Select(s => s.RunAsync(stop.Token)).ToList();
        await LatencyBenchmark.Until(() => sockets.All(s => s.Frames > 0), "first frames", cancellationToken);

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseProxy = false })
        {
            BaseAddress = environment.ApiAddress,
            Timeout = TimeSpan.FromSeconds(60), // an answer for every vote (a busy machine queues them), so the count is exact
        };
        // Its own connection: behind the votes' 1,024 it could wait longer than its timeout on a busy machine.
        using var scraper = new HttpClient { BaseAddress = environment.ApiAddress, Timeout = TimeSpan.FromSeconds(10) };
        var warmUp = new WebhookSender(client, environment.WebhookSecret, streamers, rate, WarmUp);
        await warmUp.RunAsync(cancellationToken);

        var sender = new WebhookSender(client, environment.WebhookSecret, streamers, rate, Before + options.Outage + After);
        var sending = sender.RunAsync(cancellationToken);
        await Task.Delay(Before, cancellationToken);
        long[] old;
        await using (var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true"))
        {
            await admin.GetServers()[0].ExecuteAsync("CLIENT", "PAUSE", "30000", "WRITE");
            old = await CountedAsync(admin, streamers);
        }

        var killedAt = Stopwatch.GetTimestamp();
        await redis.KillAsync();
        await Task.Delay(options.Outage, cancellationToken);
        await redis.StartAgainAsync(cancellationToken);
        var restartedAt = Stopwatch.GetTimestamp();
        var drainedAfter = await UntilBufferEmptyAsync(scraper, cancellationToken);
        await sending;
        var settled = await UntilSettledAsync(scraper, warmUp.Sent + sender.Sent, cancellationToken);

        await using var fresh = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var counted = await CountedAsync(fresh, streamers);
        var (shown, missing) = await ShownAfterRestartAsync(streamers, frames, warmUp, sender, old, restartedAt, cancellationToken);
        var closed = sockets.Count(s => !s.Open);
        await stop.CancelAsync();
        await Task.WhenAll(receiving);
        await Task.WhenAll(sockets.Select(s => s.CloseAsync()));

        List<(int Broadcaster, long SentAt, double Ms, bool Ok)> during;
        lock (sender.AnswerMs)
        {
            during = sender.Timeline.Where(t => t.SentAt >= killedAt && t.SentAt < restartedAt).ToList();
        }

        var sent = warmUp.Sent + sender.Sent;
        var answered = warmUp.Succeeded + sender.Succeeded;
        var total = old.Sum() + counted.Sum();
        var answers = during.Select(t => t.Ms).Order().ToList();
        var p99 = answers.Count == 0 ? double.NaN : Stats.Percentile(answers, 0.99);
        Console.WriteLine($"  deliveries during the outage: {during.Count:N0}, non-2xx or failed {during.Count(t => !t.Ok):N0}; answer {Stats.Summary(answers)}");
        Console.WriteLine($"  whole run: sent {sent:N0} (2xx {answered:N0}, other {warmUp.Failed + sender.Failed:N0}), sender behind schedule at most {sender.MaxLagMs:0} ms; " +
                          $"all answers {Stats.Summary([.. warmUp.Timeline.Concat(sender.Timeline).Select(t => t.Ms)])}");
        Console.WriteLine($"  votes counted: {old.Sum():N0} by the old Redis + {counted.Sum():N0} after the restart = {total:N0} of {answered:N0} answered 2xx; lost {answered - total:N0}");
        Console.WriteLine($"  buffer empty {drainedAfter.TotalSeconds:0.0} s after Redis was back; overlays showing every vote sent before it was back: " +
                          $"{Stats.Summary(shown)} after; {missing}; sockets closed during the run: {closed}");
        Console.WriteLine($"  every vote had its final outcome {settled.TotalSeconds:0.0} s after the last answer; {await VoteMetricsAsync(scraper, cancellationToken)}");
        if (ApiProcess.Notable is { Length: > 0 } notable)
        {
            Console.WriteLine($"  the API said: {string.Join(" | ", notable.Take(4))}");
        }

        Console.WriteLine($"  answer p99 during the outage {p99:0.0} ms   target ≤ {BoundMs:0} ms   {(p99 <= BoundMs ? "met" : "MISSED")}");
        Console.WriteLine($"  votes lost {answered - total:N0}   target 0 (outage ≤ 15 s)   {(answered == total && sent == answered ? "met" : "MISSED")}");
        figures.Set("redisOutage", new System.Text.Json.Nodes.JsonObject
        {
            ["rate"] = rate,
            ["broadcasters"] = broadcasters,
            ["outageSeconds"] = Figures.Number(options.Outage.TotalSeconds),
            ["deliveriesDuringOutage"] = during.Count,
            ["failedDuringOutage"] = during.Count(t => !t.Ok),
            ["answerDuringOutageMs"] = Figures.Distribution(answers),
            ["sent"] = sent,
            ["answered"] = answered,
            ["counted"] = total,
            ["lost"] = answered - total,
            ["bufferEmptySeconds"] = Figures.Number(drainedAfter.TotalSeconds),
            ["settledSeconds"] = Figures.Number(settled.TotalSeconds),
            ["shownAfterRestartMs"] = Figures.Distribution(shown),
            ["answerP99Met"] = p99 <= BoundMs,
            ["noneLostMet"] = answered == total && sent == answered,
        });
    }

    private static async Task<long[]> CountedAsync(IConnectionMultiplexer redis, IReadOnlyList<Streamer> streamers)
    {
        var db = redis.GetDatabase();
        var reads = streamers.Select(s => db.HashGetAsync(RedisKeys.VoteWindow(s.TwitchUserId), ["F", "A"])).ToList(); // pipelined
        return [.. (await Task.WhenAll(reads)).Select(v => ((long?)v[0] ?? 0) + ((long?)v[1] ?? 0))];
    }

    // Per overlay, ms from the restart to its first frame counting every vote sent to it before the restart; waits up
    // to 30 s for them, and names the overlays that did not get there.
    private static async Task<(List<double> Shown, string Missing)> ShownAfterRestartAsync(IReadOnlyList<Streamer> streamers,
        List<(long Total, long At)>[] frames, WebhookSender warmUp, WebhookSender sender, long[] old, long restartedAt, CancellationToken cancellationToken)
    {
        var replayed = new long[streamers.Count];
        for (var b = 0; b < streamers.Count; b++)
        {
            replayed[b] = -old[b];
        }

        // The votes answered 2xx before Redis was back, less what the old Redis had counted: the replayed ones.
        lock (sender.AnswerMs)
        {
            foreach (var answer in warmUp.Timeline.Concat(sender.Timeline).Where(t => t.Ok && t.SentAt < restartedAt))
            {
                replayed[answer.Broadcaster]++;
            }
        }

        long FirstShown(int b)
        {
            lock (frames[b])
            {
                return frames[b].FirstOrDefault(f => f.At >= restartedAt && f.Total >= replayed[b]).At;
            }
        }

        try
        {
            await LatencyBenchmark.Until(() => Enumerable.Range(0, streamers.Count).All(b => replayed[b] <= 0 || FirstShown(b) > 0),
                "the overlays to show the replayed votes", cancellationToken);
        }
        catch (TimeoutException)
        {
            // reported below
        }

        var shown = Enumerable.Range(0, streamers.Count).Where(b => replayed[b] > 0 && FirstShown(b) > 0)
            .Select(b => Stats.ToMilliseconds(FirstShown(b) - restartedAt)).ToList();
        var missing = Enumerable.Range(0, streamers.Count).Where(b => replayed[b] > 0 && FirstShown(b) == 0).ToList();
        var example = missing.Count == 0 ? "" : $" (e.g. overlay {missing[0]}: {replayed[missing[0]]} replayed votes, last frame total {LastTotal(missing[0])})";
        return (shown, $"{missing.Count} overlays did not show them within 30 s{example}");

        long LastTotal(int b)
        {
            lock (frames[b])
            {
                return frames[b].Count == 0 ? -1 : frames[b][^1].Total;
            }
        }
    }

    private static async Task<TimeSpan> UntilBufferEmptyAsync(HttpClient api, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (await MetricAsync(api, "chatpulse_votes_buffer_size", cancellationToken) is > 0)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException("the API's vote buffer did not empty within 2 minutes");
            }

            await Task.Delay(50, cancellationToken);
        }

        return clock.Elapsed;
    }

    // Until every vote has its final outcome: processed less the "buffered" answers (each is followed by its real
    // outcome), plus those dropped from the buffer, reaches the votes sent.
    private static async Task<TimeSpan> UntilSettledAsync(HttpClient api, long votes, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20)) // well inside the 120 s window, whose votes would start to expire
        {
            var final = (await MetricAsync(api, "chatpulse_votes_processed_total", cancellationToken) ?? 0)
                        - (await MetricAsync(api, "chatpulse_votes_processed_total", cancellationToken, "outcome=\"buffered\"") ?? 0)
                        + (await MetricAsync(api, "chatpulse_votes_dropped_total", cancellationToken) ?? 0);
            if (final >= votes)
            {
                return clock.Elapsed;
            }

            await Task.Delay(100, cancellationToken);
        }

        Console.WriteLine("  (not every vote had its final outcome 20 s after the last answer)");
        return clock.Elapsed;
    }

    private static async Task<double?> MetricAsync(HttpClient api, string name, CancellationToken cancellationToken, string? label = null) =>
        (await ApiMetrics.ScrapeAsync(api, cancellationToken)).Sum(name, label);

    private static async Task<string> VoteMetricsAsync(HttpClient api, CancellationToken cancellationToken) => string.Join("; ",
        (await api.GetStringAsync("/metrics", cancellationToken)).Split('\n')
            .Where(l => l.StartsWith("chatpulse_votes_", StringComparison.Ordinal))
            .Select(l => l.Replace("otel_scope_name=\"ChatPulse\",", "", StringComparison.Ordinal)));
}

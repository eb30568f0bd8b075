using System.Diagnostics;
using System.Net;

namespace ChatPulse.LoadTest;

/// <summary>What one timed slice of load measured: answers by kind, wall time and every request's latency (ticks).</summary>
public sealed record Sample(long Succeeded, long Failed, TimeSpan Elapsed, long[] Latencies);

/// <summary>A phase: the sum of its slices.</summary>
public sealed record PhaseResult(string Name, long Succeeded, long Failed, TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs)
{
    public double Throughput => Succeeded / Elapsed.TotalSeconds;

    public static PhaseResult Of(string name, IReadOnlyCollection<Sample> samples)
    {
        var all = samples.SelectMany(s => s.Latencies).Order().Select(Stats.ToMilliseconds).ToList();
        return new PhaseResult(name, samples.Sum(s => s.Succeeded), samples.Sum(s => s.Failed),
            TimeSpan.FromTicks(samples.Sum(s => s.Elapsed.Ticks)), Percentile(all, 0.50), Percentile(all, 0.99), all.Count == 0 ? 0 : all[^1]);
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : Stats.Percentile(sorted, p);
}

/// <summary>
/// A closed loop: <c>concurrency</c> workers, each sending its next request as soon as the previous one is
/// answered, for a fixed time (and at most <c>maxRequests</c>). Latency is measured per request. <c>stop</c> ends
/// the run early (the tool's time limit, Ctrl+C).
/// </summary>
public sealed class LoadRunner(HttpClient client, int concurrency, CancellationToken stop)
{
    public async Task<Sample> RunAsync(Func<HttpRequestMessage> next, TimeSpan duration, long maxRequests = long.MaxValue)
    {
        var latencies = new List<long>[concurrency];
        long sent = 0, succeeded = 0, failed = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = new List<long>(1 << 14);
            while (!stop.IsCancellationRequested && Stopwatch.GetTimestamp() < stopAt && Interlocked.Increment(ref sent) <= maxRequests)
            {
                using var request = next();
                var begin = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request);
                    mine.Add(Stopwatch.GetTimestamp() - begin);
                    Interlocked.Increment(ref response.StatusCode is >= HttpStatusCode.OK and < HttpStatusCode.Ambiguous ? ref succeeded : ref failed);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        stop.ThrowIfCancellationRequested();
        return new Sample(succeeded, failed, Stopwatch.GetElapsedTime(started), [.. latencies.SelectMany(l => l)]);
    }
}

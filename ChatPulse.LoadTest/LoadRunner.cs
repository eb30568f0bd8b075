using System.Diagnostics;
using System.Net;

namespace ChatPulse.LoadTest;

/// <summary>The outcome of one timed phase.</summary>
public sealed record PhaseResult(string Name, long Requests, long Succeeded, long Failed, TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs)
{
    public double Throughput => Succeeded / Elapsed.TotalSeconds;
}

/// <summary>
/// A closed loop: <c>concurrency</c> workers, each sending its next request as soon as the previous one is
/// answered, for a fixed time (bounded: it also stops after <c>maxRequests</c>). Latency is measured per request.
/// </summary>
public sealed class LoadRunner(HttpClient client, int concurrency)
{
    public async Task<PhaseResult> RunAsync(string name, Func<HttpRequestMessage> next, TimeSpan duration, long maxRequests = long.MaxValue)
    {
        var latencies = new List<long>[concurrency];
        long sent = 0, succeeded = 0, failed = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = new List<long>(1 << 16);
            while (Stopwatch.GetTimestamp() < stopAt && Interlocked.Increment(ref sent) <= maxRequests)
            {
                using var request = next();
                var begin = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request);
                    mine.Add(Stopwatch.GetTimestamp() - begin);
                    if (response.StatusCode is >= HttpStatusCode.OK and < HttpStatusCode.Ambiguous)
                    {
                        Interlocked.Increment(ref succeeded);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new PhaseResult(name, succeeded + failed, succeeded, failed, elapsed,
            Percentile(all, 0.50), Percentile(all, 0.99), all.Length == 0 ? 0 : ToMs(all[^1]));
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : ToMs(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)]);

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

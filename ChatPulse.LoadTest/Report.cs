namespace ChatPulse.LoadTest;

/// <summary>The table and the ratios the issue's targets are stated in.</summary>
public static class Report
{
    public static void Print(List<(PhaseResult Result, string Window)> rows, PhaseResult baseline, PhaseResult baselineAgain,
        PhaseResult empty, PhaseResult full)
    {
        Console.WriteLine();
        Console.WriteLine($"{"phase",-38} {"ok",9} {"non-2xx",8} {"req/s",9} {"p50 ms",7} {"p99 ms",7} {"max ms",7}  window votes before → after");
        foreach (var (r, window) in rows)
        {
            Console.WriteLine($"{r.Name,-38} {r.Succeeded,9:N0} {r.Failed,8:N0} {r.Throughput,9:N0} {r.P50Ms,7:0.00} {r.P99Ms,7:0.00} {r.MaxMs,7:0.0}  {window}");
        }

        var reference = (baseline.Throughput + baselineAgain.Throughput) / 2;
        var ofBaseline = Math.Min(empty.Throughput, full.Throughput) / reference;
        var emptyVsFull = Math.Abs(full.Throughput - empty.Throughput) / Math.Max(empty.Throughput, full.Throughput);
        var slowest = Math.Min(empty.Throughput, full.Throughput);
        var worstP99 = Math.Max(empty.P99Ms, full.P99Ms);
        Console.WriteLine();
        Console.WriteLine($"votes vs. baseline (mean of both baseline runs): {ofBaseline:P0}   target ≥ 35 %   {Verdict(ofBaseline >= 0.35)}");
        Console.WriteLine($"empty vs. full window throughput difference:   {emptyVsFull:P1}   target ≤ 10 %   {Verdict(emptyVsFull <= 0.10)}");
        Console.WriteLine($"sustained votes/s (slower phase):               {slowest:N0}   target ≥ 10,000  {Verdict(slowest >= 10_000)}");
        Console.WriteLine($"p99 latency (worse phase):                      {worstP99:0.0} ms   target ≤ 20 ms   {Verdict(worstP99 <= 20)}");
        Console.WriteLine($"baseline drift between its two runs:           {Math.Abs(baseline.Throughput - baselineAgain.Throughput) / reference:P1}");
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";
}

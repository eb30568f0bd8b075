namespace ChatPulse.LoadTest;

/// <summary>The table and the ratios the issue's targets are stated in.</summary>
public static class Report
{
    public static void Print(PhaseResult baseline, (PhaseResult Result, long Counted) empty, (PhaseResult Result, long Counted) full)
    {
        Console.WriteLine();
        Console.WriteLine($"{"phase",-36} {"2xx",9} {"other",6} {"req/s",8} {"p50 ms",7} {"p99 ms",7} {"max ms",7}  votes counted in Redis");
        Row(baseline, "—");
        Row(empty.Result, $"{empty.Counted:N0}");
        Row(full.Result, $"{full.Counted:N0}");

        var ofBaseline = Math.Min(empty.Result.Throughput, full.Result.Throughput) / baseline.Throughput;
        var emptyVsFull = Math.Abs(full.Result.Throughput - empty.Result.Throughput) / Math.Max(empty.Result.Throughput, full.Result.Throughput);
        var slowest = Math.Min(empty.Result.Throughput, full.Result.Throughput);
        var worstP99 = Math.Max(empty.Result.P99Ms, full.Result.P99Ms);
        Console.WriteLine();
        Console.WriteLine($"votes vs. baseline (slower vote phase):   {ofBaseline,8:P0}   target ≥ 35 %      {Verdict(ofBaseline >= 0.35)}");
        Console.WriteLine($"empty vs. full window throughput:        {emptyVsFull,8:P1}   target ≤ 10 %      {Verdict(emptyVsFull <= 0.10)}");
        Console.WriteLine($"sustained votes/s (slower vote phase):   {slowest,8:N0}   target ≥ 10,000    {Verdict(slowest >= 10_000)}");
        Console.WriteLine($"p99 latency (worse vote phase):          {worstP99,8:0.0}   target ≤ 20 ms     {Verdict(worstP99 <= 20)}");
        Console.WriteLine($"every 2xx vote counted exactly once:     {(empty.Counted == empty.Result.Succeeded && full.Counted == full.Result.Succeeded ? "yes" : "NO"),8}");
    }

    private static void Row(PhaseResult r, string counted) =>
        Console.WriteLine($"{r.Name,-36} {r.Succeeded,9:N0} {r.Failed,6:N0} {r.Throughput,8:N0} {r.P50Ms,7:0.00} {r.P99Ms,7:0.00} {r.MaxMs,7:0.0}  {counted}");

    private static string Verdict(bool met) => met ? "met" : "MISSED";
}

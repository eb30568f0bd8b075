namespace ChatPulse.OverlayLoad;

internal static class Stats
{
    public static double ToMilliseconds(long stopwatchTicks) => stopwatchTicks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    /// <summary>"p50 1.2 ms, p99 3.4 ms, max 5.6 ms (n=…)" over milliseconds.</summary>
    public static string Summary(List<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return "no samples";
        }

        milliseconds.Sort();
        return $"p50 {Percentile(milliseconds, 0.50):0.0} ms, p90 {Percentile(milliseconds, 0.90):0.0} ms, " +
               $"p99 {Percentile(milliseconds, 0.99):0.0} ms, max {milliseconds[^1]:0.0} ms (n={milliseconds.Count:N0})";
    }

    public static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>CPU seconds (user + system) a process has used, from /proc.</summary>
    public static double CpuSeconds(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in clock ticks (100 Hz)
    }
}

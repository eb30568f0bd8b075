using System.Diagnostics;

namespace ChatPulse.LoadTest;

public static class Stats
{
    public static double ToMilliseconds(long stopwatchTicks) => stopwatchTicks * 1000.0 / Stopwatch.Frequency;

    /// <summary>"p50 1.2 ms, p90 …, p99 3.4 ms, max 5.6 ms (n=…)" over milliseconds.</summary>
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

    /// <summary>A process's resident set (VmRSS) and its anonymous part (RssAnon: heaps, stacks, not mapped files), in bytes.</summary>
    public static (long Resident, long Anonymous) WorkingSet(int processId)
    {
        long resident = 0, anonymous = 0;
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = Kilobytes(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anonymous = Kilobytes(line);
            }
        }

        return (resident, anonymous);

        static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}

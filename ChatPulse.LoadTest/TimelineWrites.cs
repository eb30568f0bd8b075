using System.Text.Json.Nodes;

namespace ChatPulse.LoadTest;

/// <summary>
/// The mood timeline's Postgres writes while votes spread over many channels (docs/benchmarks-polls.md): the API's
/// <c>chatpulse.timeline.*</c> metrics read before and after a stretch of the spread phase's traffic, so the
/// statements counted are exactly the writes of intervals that had that traffic, and read often in between, so each
/// statement's own time is the growth of the duration histogram's sum (finer than its buckets, 1 ms … 10 s).
/// </summary>
public sealed record TimelineWrites(int Channels, TimeSpan Interval, double Seconds, long Statements, long Errors, long Rows, double VotesPerSecond,
    double P50Ms, double P99Ms, double MaxMs, int TimedAlone)
{
    /// <summary>The timeline interval the tool gives the API (TIMELINE_INTERVAL) unless <c>--api-env</c> says otherwise: several writes in seconds.</summary>
    public const string DefaultInterval = "1s";

    private const string Statement = "statement=\"insert_points\"";
    private const string StatementsMetric = "chatpulse_timeline_statements_total";
    private const string DurationMetric = "chatpulse_timeline_statement_duration_seconds";
    private const string RowsMetric = "chatpulse_timeline_points_total";

    /// <summary>Intervals measured: 20 at 1 s, fewer at longer ones (at least 6, about a minute); a lead-in of three more comes first.</summary>
    private static int Intervals(TimeSpan interval) => Math.Clamp((int)(60 / interval.TotalSeconds), 6, 20);

    public double StatementsPerSecond => Statements / Seconds;
    public double RowsPerSecond => Rows / Seconds;
    public double RowsPerStatement => Statements == 0 ? double.NaN : (double)Rows / Statements;

    public static async Task<TimelineWrites> MeasureAsync(LoadRunner runner, WebhookPhase spread, HttpClient api, TimeSpan interval, CancellationToken cancellationToken)
    {
        var intervals = Intervals(interval);
        Console.WriteLine($"Timeline writes: {spread.Title}, {intervals} intervals of {interval.TotalSeconds:0} s…");
        // A write at boundary B holds the interval [B − 2i, B − i]: after 3 intervals of traffic, every write is of this traffic only.
        await runner.RunAsync(spread.Next, interval * 3);
        var before = await ApiMetrics.ScrapeAsync(api, cancellationToken);
        var traffic = runner.RunAsync(spread.Next, interval * intervals);
        // Scraped far more often than the API writes, so nearly every scrape adds one statement and its sum is that statement's time.
        var milliseconds = new List<double>();
        var alone = 0;
        var last = before;
        while (!traffic.IsCompleted)
        {
            await Task.WhenAny(traffic, Task.Delay(interval / 4, cancellationToken));
            var now = await ApiMetrics.ScrapeAsync(api, cancellationToken);
            var timed = (int)(Total(now, "_count") - Total(last, "_count"));
            milliseconds.AddRange(Enumerable.Repeat((Total(now, "_sum") - Total(last, "_sum")) * 1000 / Math.Max(1, timed), timed)); // two in one scrape: their mean
            alone += timed == 1 ? 1 : 0;
            last = now;
        }

        var sample = await traffic;
        double Delta(string name, params string[] labels) => (last.Sum(name, labels) ?? 0) - (before.Sum(name, labels) ?? 0);
        milliseconds.Sort();
        return new TimelineWrites(spread.Channels, interval, sample.Elapsed.TotalSeconds, (long)Delta(StatementsMetric, Statement),
            (long)Delta(StatementsMetric, Statement, "result=\"error\""), (long)Delta(RowsMetric), sample.Succeeded / sample.Elapsed.TotalSeconds,
            Quantile(0.50), Quantile(0.99), milliseconds.Count == 0 ? double.NaN : milliseconds[^1], alone);

        static double Total(ApiMetrics metrics, string suffix) => metrics.Sum(DurationMetric + suffix, Statement) ?? 0;
        double Quantile(double q) => milliseconds.Count == 0 ? double.NaN : Stats.Percentile(milliseconds, q);
    }

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"Timeline writes over {Channels:N0} channels (TIMELINE_INTERVAL {Interval.TotalSeconds:0} s, {Seconds:0.0} s, {VotesPerSecond:N0} votes/s):");
        Console.WriteLine($"  Postgres insert statements {Statements:N0} ({StatementsPerSecond:0.00}/s, {Errors} failed), rows {Rows:N0} ({RowsPerSecond:N0}/s, {RowsPerStatement:N0} a statement = channels active per interval)");
        Console.WriteLine($"  statement time: p50 {P50Ms:0.0} ms, p99 {P99Ms:0.0} ms, max {MaxMs:0.0} ms ({TimedAlone} of {Statements} timed alone between two scrapes)");
    }

    public JsonObject ToJson() => new()
    {
        ["channels"] = Channels,
        ["intervalSeconds"] = Interval.TotalSeconds,
        ["seconds"] = Figures.Number(Seconds),
        ["votesPerSecond"] = Figures.Number(VotesPerSecond),
        ["statements"] = Statements,
        ["failed"] = Errors,
        ["statementsPerSecond"] = Figures.Number(StatementsPerSecond),
        ["rows"] = Rows,
        ["rowsPerSecond"] = Figures.Number(RowsPerSecond),
        ["rowsPerStatement"] = Figures.Number(RowsPerStatement),
        ["p50Ms"] = Figures.Number(P50Ms),
        ["p99Ms"] = Figures.Number(P99Ms),
        ["maxMs"] = Figures.Number(MaxMs),
        ["timedAlone"] = TimedAlone,
    };
}

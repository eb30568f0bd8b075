using System.Text.Json.Nodes;

namespace ChatPulse.LoadTest;

/// <summary>The webhook benchmark's table, the ratios the targets are stated in, and the same figures as JSON.</summary>
public static class Report
{
    /// <summary>One phase's figures: <paramref name="Channels"/> 0 for the baseline; <paramref name="Counted"/> the votes Redis counted.</summary>
    public sealed record Row(string Key, int Channels, PhaseResult Result, long? Counted, CpuMeter.Reading Cpu)
    {
        public long Requests => Result.Succeeded + Result.Failed;

        /// <summary>CPU µs per request: API, Redis, this tool.</summary>
        public (double Api, double Redis, double Tool) CpuPerRequest => (Cpu.Api * 1e6 / Requests, Cpu.Redis * 1e6 / Requests, Cpu.Tool * 1e6 / Requests);

        /// <summary>Script calls Redis ran per 2xx vote: the vote script's, and the ticker's and heartbeats' beside it.</summary>
        public double ScriptCallsPerVote => Result.Succeeded == 0 ? double.NaN : (double)Cpu.ScriptCalls / Result.Succeeded;
    }

    /// <summary>A target line: what, the figure, the target, met or not.</summary>
    private sealed record Target(string What, double Value, string Shown, string Goal, bool Met);

    public static void Print(IReadOnlyList<Row> rows, double scriptMicroseconds)
    {
        Console.WriteLine();
        Console.WriteLine($"{"phase",-36} {"2xx",9} {"other",6} {"req/s",8} {"p50 ms",7} {"p99 ms",7} {"max ms",7}  votes counted in Redis");
        foreach (var row in rows)
        {
            var r = row.Result;
            Console.WriteLine($"{r.Name,-36} {r.Succeeded,9:N0} {r.Failed,6:N0} {r.Throughput,8:N0} {r.P50Ms,7:0.00} {r.P99Ms,7:0.00} {r.MaxMs,7:0.0}  {(row.Counted is { } c ? $"{c:N0}" : "—")}");
        }

        Console.WriteLine();
        foreach (var target in Targets(rows))
        {
            Console.WriteLine($"{target.What,-44} {target.Shown,8}   target {target.Goal,-10} {(target.Met ? "met" : "MISSED")}");
        }

        var exact = rows.Where(r => r.Counted is not null).All(r => r.Counted == r.Result.Succeeded);
        Console.WriteLine($"{"every 2xx vote counted exactly once:",-44} {(exact ? "yes" : "NO"),8}");
        Console.WriteLine($"Redis time per vote script call (EVALSHA, server side): {scriptMicroseconds:0.0} µs");
        Console.WriteLine("CPU µs per request          API   Redis    tool   script calls per vote (all scripts)");
        foreach (var row in rows)
        {
            var (api, redis, tool) = row.CpuPerRequest;
            Console.WriteLine($"  {row.Key,-22} {api,7:0} {redis,7:0} {tool,7:0}   {(row.Channels == 0 ? "—" : $"{row.ScriptCallsPerVote:0.00}")}");
        }
    }

    public static JsonObject ToJson(IReadOnlyList<Row> rows, double scriptMicroseconds, IReadOnlyList<double> topShares) => new()
    {
        ["phases"] = new JsonArray([.. rows.Select(row => (JsonNode)new JsonObject
        {
            ["key"] = row.Key,
            ["name"] = row.Result.Name,
            ["channels"] = row.Channels,
            ["succeeded"] = row.Result.Succeeded,
            ["failed"] = row.Result.Failed,
            ["seconds"] = Figures.Number(row.Result.Elapsed.TotalSeconds),
            ["perSecond"] = Figures.Number(row.Result.Throughput),
            ["p50Ms"] = Figures.Number(row.Result.P50Ms),
            ["p99Ms"] = Figures.Number(row.Result.P99Ms),
            ["maxMs"] = Figures.Number(row.Result.MaxMs),
            ["counted"] = row.Counted,
            ["scriptCallsPerVote"] = row.Channels == 0 ? null : Figures.Number(row.ScriptCallsPerVote),
            ["cpuMicrosecondsPerRequest"] = new JsonObject
            {
                ["api"] = Figures.Number(row.CpuPerRequest.Api),
                ["redis"] = Figures.Number(row.CpuPerRequest.Redis),
                ["tool"] = Figures.Number(row.CpuPerRequest.Tool),
            },
        })]),
        ["targets"] = new JsonArray([.. Targets(rows).Select(t => (JsonNode)new JsonObject
        {
            ["what"] = t.What,
            ["value"] = Figures.Number(t.Value),
            ["target"] = t.Goal,
            ["met"] = t.Met,
        })]),
        ["everyVoteCountedOnce"] = rows.Where(r => r.Counted is not null).All(r => r.Counted == r.Result.Succeeded),
        ["scriptCallMicroseconds"] = Figures.Number(scriptMicroseconds),
        ["topChannelShares"] = new JsonArray([.. topShares.Select(s => Figures.Number(s))]),
    };

    private static List<Target> Targets(IReadOnlyList<Row> rows)
    {
        var baseline = rows[0].Result.Throughput;
        var targets = new List<Target>();
        var single = rows.Where(r => r.Key is "empty" or "full").Select(r => r.Result).ToList();
        if (single.Count == 2)
        {
            var slowest = single.Min(r => r.Throughput);
            var emptyVsFull = Math.Abs(single[1].Throughput - single[0].Throughput) / single.Max(r => r.Throughput);
            var worstP99 = single.Max(r => r.P99Ms);
            targets.Add(new("votes vs. baseline (slower 1-channel phase)", slowest / baseline, $"{slowest / baseline:P0}", "≥ 35 %", slowest / baseline >= 0.35));
            targets.Add(new("empty vs. full window throughput", emptyVsFull, $"{emptyVsFull:P1}", "≤ 10 %", emptyVsFull <= 0.10));
            targets.Add(new("sustained votes/s (slower 1-channel phase)", slowest, $"{slowest:N0}", "≥ 10,000", slowest >= 10_000));
            targets.Add(new("p99 latency ms (worse 1-channel phase)", worstP99, $"{worstP99:0.0}", "≤ 20 ms", worstP99 <= 20));
        }

        if (rows.FirstOrDefault(r => r.Key == "any-word") is { } anyWord && single.Count == 2)
        {
            var ratio = anyWord.Result.Throughput / single[0].Throughput;
            targets.Add(new("any word (10 a side) vs. exact match, empty window", ratio, $"{ratio:P0}", "≥ 90 %", ratio >= 0.9));
        }

        targets.AddRange(PollTargets(rows));
        var oneChannel = single.Count == 2 ? single[1].Throughput : double.NaN; // the full window: like a spread phase, never reset
        foreach (var row in rows.Where(r => r.Channels > 1))
        {
            var r = row.Result;
            var n = $"{row.Channels:N0} channels";
            targets.Add(new($"votes/s over {n}", r.Throughput, $"{r.Throughput:N0}", "≥ 10,000", r.Throughput >= 10_000));
            targets.Add(new($"p99 latency ms over {n}", r.P99Ms, $"{r.P99Ms:0.0}", "≤ 20 ms", r.P99Ms <= 20));
            targets.Add(new($"{n} vs. baseline", r.Throughput / baseline, $"{r.Throughput / baseline:P0}", "≥ 50 %", r.Throughput / baseline >= 0.5));
            if (double.IsFinite(oneChannel))
            {
                // No target: how much spreading costs against one channel's votes.
                targets.Add(new($"{n} vs. 1 channel (full window)", r.Throughput / oneChannel, $"{r.Throughput / oneChannel:P0}", "(ratio)", true));
            }
        }

        return targets;
    }

    // The issue's poll targets: a poll vote as fast as a mood vote (within 10 %), and as fast with 100,000 voters in the poll as with none.
    private static IEnumerable<Target> PollTargets(IReadOnlyList<Row> rows)
    {
        var byKey = rows.ToDictionary(r => r.Key);
        if (!byKey.TryGetValue("poll", out var poll))
        {
            yield break;
        }

        // No target: what a vote costs the API and Redis in CPU, which a busy machine distorts less than throughput.
        static double Cpu(Row row) => row.CpuPerRequest.Api + row.CpuPerRequest.Redis;
        if (byKey.TryGetValue("empty", out var mood))
        {
            var ratio = poll.Result.Throughput / mood.Result.Throughput;
            var p99 = poll.Result.P99Ms / mood.Result.P99Ms;
            yield return new("poll votes/s vs. mood votes (empty window)", ratio, $"{ratio:P0}", "≥ 90 %", ratio >= 0.9);
            yield return new("poll p99 vs. mood votes' p99 (empty window)", p99, $"{p99:P0}", "≤ 110 %", p99 <= 1.1);
            yield return new("poll vs. mood CPU µs per vote (API + Redis)", Cpu(poll) / Cpu(mood), $"{Cpu(poll) / Cpu(mood):P0}", "(ratio)", true);
        }

        if (byKey.TryGetValue("poll-100k", out var full))
        {
            var flat = Math.Abs(full.Result.Throughput - poll.Result.Throughput) / Math.Max(full.Result.Throughput, poll.Result.Throughput);
            var p99 = full.Result.P99Ms / poll.Result.P99Ms;
            yield return new("full poll vs. new poll throughput", flat, $"{flat:P1}", "≤ 10 %", flat <= 0.10);
            yield return new("full poll p99 vs. new poll p99", p99, $"{p99:P0}", "≤ 110 %", p99 <= 1.1);
            yield return new("full vs. new poll CPU µs per vote (API + Redis)", Cpu(full) / Cpu(poll), $"{Cpu(full) / Cpu(poll):P0}", "(ratio)", true);
        }
    }
}
namespace ChatPulse.LoadTest;

/// <summary>
/// Command line: <c>[webhook|overlay-latency|overlay-capacity|overlay|all]</c> (default <c>webhook</c>), then options.
/// Webhook: <c>--rounds 6 --slice 2 --concurrency 32 --prefill 100000</c>. Overlay latency: <c>--rates 1000,5000
/// --seconds 10 --broadcasters 50 --sockets-per-broadcaster 2</c>. Overlay capacity: <c>--capacity-sockets 10000
/// --capacity-broadcasters 1000 --capacity-hold 30</c> (seconds the sockets are held, 30–600). Redis outage (only on its
/// own, with its own Redis): <c>--outage 10 --outage-rate 2000 --outage-broadcasters 200</c>. All:
/// <c>--configuration Release</c>, <c>--api-env KEY=VALUE</c> (repeatable).
/// </summary>
public sealed record LoadOptions(
    string Mode,
    int Rounds,
    TimeSpan Slice,
    int Concurrency,
    long Prefill,
    string Configuration,
    int[] Rates,
    TimeSpan Seconds,
    int Broadcasters,
    int SocketsPerBroadcaster,
    int CapacitySockets,
    int CapacityBroadcasters,
    TimeSpan CapacityHold,
    IReadOnlyDictionary<string, string> ApiEnvironment,
    TimeSpan Outage,
    int OutageRate,
    int OutageBroadcasters)
{
#if DEBUG
    private const string BuiltAs = "Debug";
#else
    private const string BuiltAs = "Release";
#endif

    public static readonly string[] Modes = ["webhook", "overlay-latency", "overlay-capacity", "overlay", "all", "redis-outage"];

    /// <summary>The outage run kills Redis, so it runs alone ("all" leaves it out).</summary>
    public bool Runs(string benchmark) => Mode == benchmark || (Mode == "all" && benchmark != "redis-outage") || (Mode == "overlay" && benchmark.StartsWith("overlay-", StringComparison.Ordinal));

    public static LoadOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "webhook";
        if (!Modes.Contains(mode))
        {
            throw new ArgumentException($"unknown mode {mode}: one of {string.Join(", ", Modes)}");
        }

        var rounds = int.Parse(Value("--rounds") ?? "6");
        var slice = int.Parse(Value("--slice") ?? "2");
        var concurrency = int.Parse(Value("--concurrency") ?? "32");
        var prefill = long.Parse(Value("--prefill") ?? "100000");
        if (rounds < 1 || slice < 1 || rounds * slice * 3 > 60 || concurrency is < 1 or > 1024 || prefill is < 0 or > 10_000_000)
        {
            throw new ArgumentException("--rounds × --slice × 3 ≤ 60 s (the prefill must stay in the 120 s window), --concurrency 1–1024, --prefill 0–10000000");
        }

        var rates = (Value("--rates") ?? "1000,5000").Split(',').Select(int.Parse).ToArray();
        var seconds = int.Parse(Value("--seconds") ?? "10");
        var broadcasters = int.Parse(Value("--broadcasters") ?? "50");
        var socketsEach = int.Parse(Value("--sockets-per-broadcaster") ?? "2");
        var capacitySockets = int.Parse(Value("--capacity-sockets") ?? "10000");
        var capacityBroadcasters = int.Parse(Value("--capacity-broadcasters") ?? "1000");
        var capacityHold = int.Parse(Value("--capacity-hold") ?? "30"); // past the 25 s app-level ping
        // Every vote of a latency run must stay in the 120 s window, so a frame's total counts all of them.
        if (rates.Any(r => r is < 1 or > 100_000) || seconds is < 2 or > 60 || broadcasters < 1 || socketsEach < 1 || capacitySockets < 1 || capacityBroadcasters < 1
            || capacityHold is < 30 or > 600)
        {
            throw new ArgumentException("--rates 1–100000 each, --seconds 2–60, --broadcasters, --sockets-per-broadcaster, --capacity-sockets, --capacity-broadcasters ≥ 1, --capacity-hold 30–600");
        }

        var outage = int.Parse(Value("--outage") ?? "10");
        var outageRate = int.Parse(Value("--outage-rate") ?? "2000");
        var outageBroadcasters = int.Parse(Value("--outage-broadcasters") ?? "200");
        // Every vote of the run (about 30 s plus the outage) stays in the 120 s window, so the windows' totals count all.
        if (outage is < 1 or > 60 || outageRate is < 1 or > 20_000 || outageBroadcasters is < 1 or > 2_000)
        {
            throw new ArgumentException("--outage 1–60 (seconds), --outage-rate 1–20000, --outage-broadcasters 1–2000");
        }

        var apiEnvironment = args.Select((a, i) => (a, i)).Where(p => p.a == "--api-env" && p.i + 1 < args.Length)
            .Select(p => args[p.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");

        return new LoadOptions(mode, rounds, TimeSpan.FromSeconds(slice), concurrency, prefill, Value("--configuration") ?? BuiltAs,
            rates, TimeSpan.FromSeconds(seconds), broadcasters, socketsEach, capacitySockets, capacityBroadcasters, TimeSpan.FromSeconds(capacityHold),
            apiEnvironment, TimeSpan.FromSeconds(outage), outageRate, outageBroadcasters);
    }
}

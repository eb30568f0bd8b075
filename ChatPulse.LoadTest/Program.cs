using System.Runtime.InteropServices;
using ChatPulse.Api.Chat;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.LoadTest;
using Npgsql;
using StackExchange.Redis;

// The webhook benchmark (README, "Load tool"): baseline vs. votes, empty vs. full window, in one run.
var options = LoadOptions.Parse(args);
using var overall = new CancellationTokenSource(TimeSpan.FromMinutes(20)); // the whole run is bounded
// Ctrl+C or SIGTERM ends the run; the environment below is still disposed (no API, Postgres or Redis left behind).
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    overall.Cancel();
}

try
{
    await MeasureAsync();
    return 0;
}
catch (OperationCanceledException) when (overall.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped before the end (Ctrl+C, SIGTERM or the 20-minute limit); nothing is left running.");
    return 1;
}

async Task MeasureAsync()
{
    Console.WriteLine($"Starting Postgres, Redis and the {options.Configuration} API (127.0.0.1 only)…");
    await using var environment = await BenchmarkEnvironment.StartAsync(options.Configuration, overall.Token);
    await using var redis = await ConnectionMultiplexer.ConnectAsync(environment.RedisConnectionString);
    await using var dataSource = NpgsqlDataSource.Create(environment.DatabaseConnectionString);

    // Two streamers with the longest finite window (every vote of the run stays in it), each with an overlay "connected".
    var store = new StreamerStore(dataSource);
    var presence = new OverlayPresence(redis, TimeProvider.System);
    var empty = await Channel("empty");
    var full = await Channel("full");
    var heartbeat = Task.Run(async () =>
    {
        while (!overall.IsCancellationRequested)
        {
            await presence.HeartbeatAsync(empty, "loadtest-overlay", 1, overall.Token);
            await presence.HeartbeatAsync(full, "loadtest-overlay", 1, overall.Token);
            await Task.Delay(OverlayPresence.HeartbeatInterval, overall.Token);
        }
    }, overall.Token);

    var window = new VoteWindow(redis);
    long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    async Task<long> WindowVotes(string broadcasterId) => (await window.ReadAsync(broadcasterId, OverlayConfiguration.MaxMemorySeconds, Now())).Total;

    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, UseProxy = false })
    {
        BaseAddress = environment.ApiAddress,
        Timeout = TimeSpan.FromSeconds(10),
    };
    var runner = new LoadRunner(client, options.Concurrency, overall.Token);
    var toEmpty = new Notifications(environment.WebhookSecret, empty);
    var toFull = new Notifications(environment.WebhookSecret, full);
    HttpRequestMessage Baseline() => toEmpty.Next(ChatExtensions.BaselinePath);
    HttpRequestMessage VoteEmpty() => toEmpty.Next(ChatExtensions.WebhookPath);
    HttpRequestMessage VoteFull() => toFull.Next(ChatExtensions.WebhookPath);

    Console.WriteLine($"Warming up ({options.Concurrency} connections)…");
    await runner.RunAsync(Baseline, TimeSpan.FromSeconds(5));
    await runner.RunAsync(VoteEmpty, TimeSpan.FromSeconds(5));

    Console.WriteLine($"Filling the full channel's window with {options.Prefill:N0} votes…");
    await runner.RunAsync(VoteFull, TimeSpan.FromMinutes(2), options.Prefill);
    var fullAtStart = await WindowVotes(full);

    // Round robin in short slices, so the three phases share whatever else the machine is doing.
    var samples = new Dictionary<string, List<Sample>> { ["baseline"] = [], ["empty"] = [], ["full"] = [] };
    await using var admin = await ConnectionMultiplexer.ConnectAsync(environment.RedisConnectionString + ",allowAdmin=true");
    var cpu = new CpuMeter(environment.Api, admin.GetServers()[0]);
    var cpuUsed = new Dictionary<string, CpuMeter.Reading>();
    async Task<Sample> Slice(string phase, Func<HttpRequestMessage> next)
    {
        var before = await cpu.ReadAsync();
        var sample = await runner.RunAsync(next, options.Slice);
        cpuUsed[phase] = cpuUsed.GetValueOrDefault(phase) + (await cpu.ReadAsync() - before);
        samples[phase].Add(sample);
        return sample;
    }

    long emptyCounted = 0;
    Console.WriteLine($"Measuring: {options.Rounds} rounds of {options.Slice.TotalSeconds:0} s baseline, empty-window votes, full-window votes…");
    for (var round = 0; round < options.Rounds; round++)
    {
        await Slice("baseline", Baseline);
        await window.ResetAsync(empty, Now()); // the empty window starts every slice empty
        await Slice("empty", VoteEmpty);
        emptyCounted += await WindowVotes(empty);
        await Slice("full", VoteFull);
    }

    var fullCounted = await WindowVotes(full) - fullAtStart;
    Report.Print(
        PhaseResult.Of("baseline: HMAC only, 204", samples["baseline"]),
        (PhaseResult.Of("votes, window empty at each slice", samples["empty"]), emptyCounted),
        (PhaseResult.Of($"votes, {fullAtStart:N0} in window at start", samples["full"]), fullCounted));
    Console.WriteLine($"Redis time per vote script (EVALSHA, server side): {await ScriptMicroseconds():0.0} µs");
    Console.WriteLine("CPU µs per request          API   Redis    tool");
    foreach (var (phase, used) in cpuUsed)
    {
        var requests = samples[phase].Sum(s => s.Succeeded + s.Failed) / 1e6;
        Console.WriteLine($"  {phase,-22} {used.Api / requests,7:0} {used.Redis / requests,7:0} {used.Tool / requests,7:0}");
    }

    await overall.CancelAsync();
    await heartbeat.ContinueWith(_ => { }, TaskScheduler.Default);

    async Task<double> ScriptMicroseconds()
    {
        var stats = (await admin.GetServers()[0].InfoAsync("commandstats")).SelectMany(g => g).FirstOrDefault(kv => kv.Key == "cmdstat_evalsha").Value ?? "";
        var field = stats.Split(',').FirstOrDefault(f => f.StartsWith("usec_per_call=", StringComparison.Ordinal));
        return field is null ? double.NaN : double.Parse(field["usec_per_call=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    async Task<string> Channel(string name)
    {
        var broadcasterId = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString();
        var (streamer, _) = await store.UpsertOnLoginAsync(broadcasterId, $"loadtest-{name}", name, overall.Token);
        await store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with { MemorySeconds = OverlayConfiguration.MaxMemorySeconds }, overall.Token);
        return broadcasterId;
    }
}

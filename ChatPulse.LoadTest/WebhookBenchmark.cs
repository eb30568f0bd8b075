using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch;
using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Api.Votes;
using StackExchange.Redis;

namespace ChatPulse.LoadTest;

/// <summary>The webhook benchmark (README, "Load tool"): baseline vs. votes, empty vs. full window, in one run.</summary>
public sealed class WebhookBenchmark(BenchmarkEnvironment environment, IConnectionMultiplexer redis, StreamerStore store, LoadOptions options)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Two streamers with the longest finite window (every vote of the run stays in it), each with an overlay "connected".
        var presence = new OverlayPresence(redis, TimeProvider.System);
        var channels = await BenchmarkStreamers.CreateAsync(store, 2, cancellationToken);
        string empty = channels[0].TwitchUserId, full = channels[1].TwitchUserId;
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = Task.Run(async () =>
        {
            while (!heartbeatStop.IsCancellationRequested)
            {
                await presence.HeartbeatAsync(empty, "loadtest-overlay", 1, heartbeatStop.Token);
                await presence.HeartbeatAsync(full, "loadtest-overlay", 1, heartbeatStop.Token);
                await Task.Delay(OverlayPresence.HeartbeatInterval, heartbeatStop.Token);
            }
        }, heartbeatStop.Token);

        var window = new VoteWindow(redis);
        long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        async Task<long> WindowVotes(string broadcasterId) => (await window.ReadAsync(broadcasterId, OverlayConfiguration.MaxMemorySeconds, Now())).Total;

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, UseProxy = false })
        {
            BaseAddress = environment.ApiAddress,
            Timeout = TimeSpan.FromSeconds(10),
        };
        var runner = new LoadRunner(client, options.Concurrency, cancellationToken);
        var toEmpty = new Notifications(environment.WebhookSecret, empty);
        var toFull = new Notifications(environment.WebhookSecret, full);
        HttpRequestMessage Baseline() => toEmpty.Next(TwitchExtensions.BenchmarkBaselinePath);
        HttpRequestMessage VoteEmpty() => toEmpty.Next(TwitchExtensions.WebhookPath);
        HttpRequestMessage VoteFull() => toFull.Next(TwitchExtensions.WebhookPath);

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

        await heartbeatStop.CancelAsync();
        await heartbeat.ContinueWith(_ => { }, TaskScheduler.Default);

        async Task<double> ScriptMicroseconds()
        {
            var stats = (await admin.GetServers()[0].InfoAsync("commandstats")).SelectMany(g => g).FirstOrDefault(kv => kv.Key == "cmdstat_evalsha").Value ?? "";
            var field = stats.Split(',').FirstOrDefault(f => f.StartsWith("usec_per_call=", StringComparison.Ordinal));
            return field is null ? double.NaN : double.Parse(field["usec_per_call=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}

using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.LoadTest;

/// <summary>
/// The webhook benchmark (docs/benchmarks-channels.md, docs/benchmarks-polls.md): the phases of
/// <see cref="WebhookPhases"/> measured round robin in short slices, so they share whatever else the machine is doing,
/// then the timeline's writes over the most channels. Every channel is watched.
/// </summary>
public sealed class WebhookBenchmark(BenchmarkEnvironment environment, IConnectionMultiplexer redis, NpgsqlDataSource dataSource, StreamerStore store,
    LoadOptions options, Figures figures)
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, UseProxy = false })
        {
            BaseAddress = environment.ApiAddress,
            Timeout = TimeSpan.FromSeconds(10),
        };
        await using var pollEngine = BenchmarkPoll.Engine(dataSource, redis);
        var phases = await WebhookPhases.CreateAsync(environment, store, new VoteWindow(redis), pollEngine, client, options, cancellationToken);

        // Each channel with an overlay "connected" (a presence heartbeat), so every vote is counted.
        var watched = phases.SelectMany(p => p.Watched).ToList();
        var presence = new OverlayPresence(redis, TimeProvider.System);
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = Task.Run(async () =>
        {
            while (!heartbeatStop.IsCancellationRequested)
            {
                await Task.WhenAll(watched.Select(id => presence.HeartbeatAsync(id, "loadtest-overlay", 1, 1, heartbeatStop.Token)));
                await Task.Delay(OverlayPresence.HeartbeatInterval, heartbeatStop.Token);
            }
        }, heartbeatStop.Token);

        var runner = new LoadRunner(client, options.Concurrency, cancellationToken);
        await PrepareAsync(runner, phases, cancellationToken);

        await using var admin = await ConnectionMultiplexer.ConnectAsync(environment.RedisConnectionString + ",allowAdmin=true");
        var cpu = new CpuMeter(environment.Api, admin.GetServers()[0]);
        Console.WriteLine($"Measuring: {options.Rounds} rounds of {options.Slice.TotalSeconds:0} s per phase: {string.Join(", ", phases.Select(p => p.Key))}…");
        for (var round = 0; round < options.Rounds; round++)
        {
            // Every other round backwards, so no phase always follows the same one (a slice pays some of its predecessor's after-effects).
            foreach (var phase in round % 2 == 0 ? phases : Enumerable.Reverse(phases))
            {
                if (phase.Reset is { } reset)
                {
                    await reset(cancellationToken);
                }

                var counted = phase.Count is { } count ? await count(cancellationToken) : 0;
                var before = await cpu.ReadAsync();
                phase.Samples.Add(await runner.RunAsync(phase.Next, options.Slice));
                phase.Cpu += await cpu.ReadAsync() - before;
                if (phase.Count is { } countAfter)
                {
                    phase.Counted = (phase.Counted ?? 0) + await countAfter(cancellationToken) - counted;
                }
            }
        }

        var results = phases.Select(p => new Report.Row(p.Key, p.Channels, PhaseResult.Of(p.Title, p.Samples), p.Counted, p.Cpu)).ToList();
        var scriptMicroseconds = await ScriptMicroseconds();
        Report.Print(results, scriptMicroseconds);
        var section = Report.ToJson(results, scriptMicroseconds, [.. phases.Where(p => p.Channels > 1).Select(p => SpreadChannels.Cumulative(p.Channels)[0])]);

        if (phases.Where(p => p.Channels > 1).MaxBy(p => p.Channels) is { } widest)
        {
            var timeline = await TimelineWrites.MeasureAsync(runner, widest, client, TimelineInterval(), cancellationToken);
            timeline.Print();
            section["timeline"] = timeline.ToJson();
        }

        figures.Set("webhook", section);
        await heartbeatStop.CancelAsync();
        await heartbeat.ContinueWith(_ => { }, TaskScheduler.Default);

        async Task<double> ScriptMicroseconds()
        {
            var stats = (await admin.GetServers()[0].InfoAsync("commandstats")).SelectMany(g => g).FirstOrDefault(kv => kv.Key == "cmdstat_evalsha").Value ?? "";
            var field = stats.Split(',').FirstOrDefault(f => f.StartsWith("usec_per_call=", StringComparison.Ordinal));
            return field is null ? double.NaN : double.Parse(field["usec_per_call=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Warms every phase up: the baseline and the phases reset at each slice first, then the prefills (the full
    /// window's last, so its 120 s span holds only the run), then the rest, whose warm-up votes must stay in their windows.
    /// </summary>
    private async Task PrepareAsync(LoadRunner runner, List<WebhookPhase> phases, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Warming up ({options.Concurrency} connections)…");
        foreach (var phase in phases.Where(p => p.Count is null || p.Reset is not null))
        {
            await runner.RunAsync(phase.Next, WarmUp);
        }

        foreach (var phase in phases.Where(p => p.PrefilledTitle is not null).OrderBy(p => p.Key == "full"))
        {
            Console.WriteLine($"Prefilling {phase.Key} with {options.Prefill:N0} votes…");
            await runner.RunAsync(phase.Next, TimeSpan.FromMinutes(2), options.Prefill);
            phase.Title = phase.PrefilledTitle!(await phase.Count!(cancellationToken));
        }

        foreach (var phase in phases.Where(p => p.Count is not null && p.Reset is null && p.PrefilledTitle is null))
        {
            await runner.RunAsync(phase.Next, WarmUp);
        }
    }

    // The API's TIMELINE_INTERVAL as the tool started it (Program gives it TimelineWrites.DefaultInterval unless --api-env says otherwise).
    private TimeSpan TimelineInterval() =>
        Durations.TryParse(options.ApiEnvironment.GetValueOrDefault("TIMELINE_INTERVAL", TimelineWrites.DefaultInterval), out var interval) ? interval : TimeSpan.FromSeconds(10);
}

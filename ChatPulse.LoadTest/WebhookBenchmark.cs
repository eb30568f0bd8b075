using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Twitch;
using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Api.Votes;
using StackExchange.Redis;

namespace ChatPulse.LoadTest;

/// <summary>
/// The webhook benchmark (docs/benchmarks-channels.md): the baseline endpoint, one channel's votes with an empty and
/// a full window, and votes spread over each larger <c>--channels</c> count, in one run. Every channel is watched.
/// </summary>
public sealed class WebhookBenchmark(BenchmarkEnvironment environment, IConnectionMultiplexer redis, StreamerStore store, LoadOptions options, Figures figures)
{
    /// <summary>A timed phase: its requests and how many of its votes Redis counted (null for the baseline).</summary>
    private sealed record Phase(string Key, string Title, int Channels, Func<HttpRequestMessage> Next)
    {
        public List<Sample> Samples { get; } = [];
        public CpuMeter.Reading Cpu { get; set; }
        public long? Counted { get; set; }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var single = options.Channels.Contains(1);
        var pair = single ? await BenchmarkStreamers.CreateAsync(store, 2, cancellationToken) : [];
        var anyWord = options.AnyWord ? (await BenchmarkStreamers.CreateAsync(store, 1, cancellationToken, AnyWordMessages.Configuration))[0] : null;
        var spreads = new List<SpreadChannels>();
        foreach (var count in options.Channels.Where(c => c > 1))
        {
            Console.WriteLine($"Creating {count:N0} streamers…");
            spreads.Add(await SpreadChannels.CreateAsync(store, environment.WebhookSecret, count, cancellationToken));
        }

        // Each channel with an overlay "connected" (a presence heartbeat), so every vote is counted.
        var watched = pair.Concat(anyWord is null ? [] : [anyWord]).Select(s => s.TwitchUserId).Concat(spreads.SelectMany(s => s.BroadcasterIds)).ToList();
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

        var window = new VoteWindow(redis);
        long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        async Task<long> WindowVotes(string broadcasterId) => (await window.ReadAsync(broadcasterId, OverlayConfiguration.MaxMemorySeconds, Now())).Total;

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, UseProxy = false })
        {
            BaseAddress = environment.ApiAddress,
            Timeout = TimeSpan.FromSeconds(10),
        };
        var runner = new LoadRunner(client, options.Concurrency, cancellationToken);
        var baselineTo = new Notifications(environment.WebhookSecret, pair.Count > 0 ? pair[0].TwitchUserId : spreads[0].BroadcasterIds[0]);
        var phases = new List<Phase> { new("baseline", "baseline: HMAC only, 204", 0, () => baselineTo.Next(TwitchExtensions.BenchmarkBaselinePath)) };
        if (single)
        {
            var toEmpty = new Notifications(environment.WebhookSecret, pair[0].TwitchUserId);
            var toFull = new Notifications(environment.WebhookSecret, pair[1].TwitchUserId);
            phases.Add(new Phase("empty", "votes, window empty at each slice", 1, () => toEmpty.Next(TwitchExtensions.WebhookPath)));
            phases.Add(new Phase("full", "votes, full window at start", 1, () => toFull.Next(TwitchExtensions.WebhookPath)));
        }

        if (anyWord is not null)
        {
            // Against "empty": the same channel shape and reset, but every message is 200 characters scanned word by word.
            var toAnyWord = new Notifications(environment.WebhookSecret, anyWord.TwitchUserId, AnyWordMessages.For);
            phases.Add(new Phase("any-word", $"any word of 10 a side, {AnyWordMessages.Length}-char messages", 1, () => toAnyWord.Next(TwitchExtensions.WebhookPath)));
        }

        phases.AddRange(spreads.Select(s => new Phase($"channels-{s.BroadcasterIds.Count}", $"votes over {s.BroadcasterIds.Count:N0} channels (Zipf)",
            s.BroadcasterIds.Count, () => s.Next(TwitchExtensions.WebhookPath))));

        Console.WriteLine($"Warming up ({options.Concurrency} connections)…");
        await runner.RunAsync(phases[0].Next, TimeSpan.FromSeconds(5));
        long fullAtStart = 0;
        if (single)
        {
            await runner.RunAsync(phases[1].Next, TimeSpan.FromSeconds(5));
            Console.WriteLine($"Filling the full channel's window with {options.Prefill:N0} votes…");
            await runner.RunAsync(phases[2].Next, TimeSpan.FromMinutes(2), options.Prefill);
            fullAtStart = await WindowVotes(pair[1].TwitchUserId);
            phases[2] = phases[2] with { Title = $"votes, {fullAtStart:N0} in window at start" };
        }

        if (phases.Find(p => p.Key == "any-word") is { } anyWordWarmUp)
        {
            await runner.RunAsync(anyWordWarmUp.Next, TimeSpan.FromSeconds(5));
        }

        // After the prefill, so the spread windows' warm-up votes cannot leave the 120 s window during the run.
        var spreadAtStart = new List<long>();
        foreach (var (spread, phase) in spreads.Zip(phases.Where(p => p.Channels > 1)))
        {
            await runner.RunAsync(phase.Next, TimeSpan.FromSeconds(5));
            spreadAtStart.Add(await spread.CountedAsync(window, Now()));
        }

        await using var admin = await ConnectionMultiplexer.ConnectAsync(environment.RedisConnectionString + ",allowAdmin=true");
        var cpu = new CpuMeter(environment.Api, admin.GetServers()[0]);
        Console.WriteLine($"Measuring: {options.Rounds} rounds of {options.Slice.TotalSeconds:0} s per phase: {string.Join(", ", phases.Select(p => p.Key))}…");
        long emptyCounted = 0, anyWordCounted = 0;
        for (var round = 0; round < options.Rounds; round++)
        {
            // Round robin in short slices, so the phases share whatever else the machine is doing.
            foreach (var phase in phases)
            {
                if (phase.Key == "empty")
                {
                    await window.ResetAsync(pair[0].TwitchUserId, Now()); // the empty window starts every slice empty
                }
                else if (phase.Key == "any-word")
                {
                    await window.ResetAsync(anyWord!.TwitchUserId, Now());
                }

                var before = await cpu.ReadAsync();
                phase.Samples.Add(await runner.RunAsync(phase.Next, options.Slice));
                phase.Cpu += await cpu.ReadAsync() - before;
                if (phase.Key == "empty")
                {
                    emptyCounted += await WindowVotes(pair[0].TwitchUserId);
                }
                else if (phase.Key == "any-word")
                {
                    anyWordCounted += await WindowVotes(anyWord!.TwitchUserId);
                }
            }
        }

        if (single)
        {
            phases[1].Counted = emptyCounted;
            phases[2].Counted = await WindowVotes(pair[1].TwitchUserId) - fullAtStart;
        }

        if (phases.Find(p => p.Key == "any-word") is { } anyWordPhase)
        {
            anyWordPhase.Counted = anyWordCounted;
        }

        foreach (var ((spread, phase), atStart) in spreads.Zip(phases.Where(p => p.Channels > 1)).Zip(spreadAtStart))
        {
            phase.Counted = await spread.CountedAsync(window, Now()) - atStart;
        }

        var results = phases.Select(p => new Report.Row(p.Key, p.Channels, PhaseResult.Of(p.Title, p.Samples), p.Counted, p.Cpu)).ToList();
        var scriptMicroseconds = await ScriptMicroseconds();
        Report.Print(results, scriptMicroseconds);
        figures.Set("webhook", Report.ToJson(results, scriptMicroseconds, spreads.Select(s => s.TopShare).ToList()));

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

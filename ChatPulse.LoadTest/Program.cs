using ChatPulse.Api.Chat;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.LoadTest;
using Npgsql;
using StackExchange.Redis;

// The webhook benchmark (README, "Load tool"): baseline vs. votes in one run, empty vs. full window.
var options = LoadOptions.Parse(args);
using var overall = new CancellationTokenSource(TimeSpan.FromMinutes(20)); // the whole run is bounded
Console.WriteLine($"Starting Postgres, Redis and the {options.Configuration} API (127.0.0.1 only)…");
await using var environment = await BenchmarkEnvironment.StartAsync(options.Configuration, overall.Token);
await using var redis = await ConnectionMultiplexer.ConnectAsync(environment.RedisConnectionString);
await using var dataSource = NpgsqlDataSource.Create(environment.DatabaseConnectionString);

// A streamer with the longest finite window, so every vote of the run stays in it, and an overlay "connected".
var broadcasterId = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString();
var store = new StreamerStore(dataSource);
var (streamer, _) = await store.UpsertOnLoginAsync(broadcasterId, "loadtest", "LoadTest", overall.Token);
await store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with { MemorySeconds = OverlayConfiguration.MaxMemorySeconds }, overall.Token);
var presence = new OverlayPresence(redis, TimeProvider.System);
var heartbeat = Task.Run(async () =>
{
    while (!overall.IsCancellationRequested)
    {
        await presence.HeartbeatAsync(broadcasterId, "loadtest-overlay", 1, overall.Token);
        await Task.Delay(OverlayPresence.HeartbeatInterval, overall.Token);
    }
}, overall.Token);

var window = new VoteWindow(redis);
async Task<long> WindowVotes()
{
    var snapshot = await window.ReadAsync(broadcasterId, OverlayConfiguration.MaxMemorySeconds, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    return snapshot.Total;
}

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, UseProxy = false })
{
    BaseAddress = environment.ApiAddress,
    Timeout = TimeSpan.FromSeconds(10),
};
var notifications = new Notifications(environment.WebhookSecret, broadcasterId);
var runner = new LoadRunner(client, options.Concurrency);
HttpRequestMessage Baseline() => notifications.Next(ChatExtensions.BaselinePath);
HttpRequestMessage Vote() => notifications.Next(ChatExtensions.WebhookPath);

Console.WriteLine($"Warming up ({options.Concurrency} connections)…");
await runner.RunAsync("warm-up", Baseline, TimeSpan.FromSeconds(3));
await runner.RunAsync("warm-up", Vote, TimeSpan.FromSeconds(3));

var rows = new List<(PhaseResult Result, string Window)>();
async Task<PhaseResult> Measure(string name, Func<HttpRequestMessage> next, bool votes)
{
    var before = votes ? await WindowVotes() : 0;
    Console.WriteLine($"Running {name} for {options.Duration.TotalSeconds:0} s…");
    var result = await runner.RunAsync(name, next, options.Duration);
    var after = votes ? await WindowVotes() : 0;
    rows.Add((result, votes ? $"{before:N0} → {after:N0} (counted {after - before:N0} of {result.Succeeded:N0})" : "—"));
    return result;
}

var baseline = await Measure("baseline: HMAC only, 204", Baseline, votes: false);
await window.ResetAsync(broadcasterId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
var empty = await Measure("votes, window empty at start", Vote, votes: true);

await window.ResetAsync(broadcasterId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
Console.WriteLine($"Filling the window with {options.Prefill:N0} votes…");
await runner.RunAsync("prefill", Vote, TimeSpan.FromMinutes(2), options.Prefill);
var full = await Measure($"votes, {await WindowVotes():N0} in window at start", Vote, votes: true);
var baselineAgain = await Measure("baseline again (drift check)", Baseline, votes: false);

Report.Print(rows, baseline, baselineAgain, empty, full);
await overall.CancelAsync();
await heartbeat.ContinueWith(_ => { }, TaskScheduler.Default);

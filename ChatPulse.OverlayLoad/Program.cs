using ChatPulse.Api.Streamers;
using ChatPulse.OverlayLoad;
using Npgsql;
using StackExchange.Redis;

// Overlay benchmark: end-to-end latency (snapshot published -> frame received) and socket capacity of one
// replica. Usage: dotnet run -c Release --project ChatPulse.OverlayLoad [-- latency|capacity|all] [--rates 1000,5000]
// [--seconds 10] [--api-env KEY=VALUE] [--broadcasters 50] [--sockets-per-broadcaster 2] [--capacity-sockets 10000] [--capacity-broadcasters 1000]
var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
string Option(string name, string fallback) => args.SkipWhile(a => a != $"--{name}").Skip(1).FirstOrDefault() ?? fallback;
var rates = Option("rates", "1000,5000").Split(',').Select(int.Parse).ToArray();
var seconds = int.Parse(Option("seconds", "10"));
var broadcasters = int.Parse(Option("broadcasters", "50"));
var socketsEach = int.Parse(Option("sockets-per-broadcaster", "2"));
var capacitySockets = int.Parse(Option("capacity-sockets", "10000"));
var capacityBroadcasters = int.Parse(Option("capacity-broadcasters", "1000"));
var apiEnvironment = args.Select((a, i) => (a, i)).Where(p => p.a == "--api-env" && p.i + 1 < args.Length)
    .Select(p => args[p.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]); // e.g. --api-env DOTNET_gcServer=0

using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(20)); // the whole run, whatever happens
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

Console.WriteLine("starting Postgres, Redis and one API replica on 127.0.0.1 ...");
await using var cluster = await LocalCluster.StartAsync(maxWebSocketConnections: capacitySockets + 500, apiEnvironment, cancel.Token);
await using var dataSource = NpgsqlDataSource.Create(cluster.DatabaseConnectionString);
await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.RedisConnectionString);
var store = new StreamerStore(dataSource);
Console.WriteLine($"API {cluster.ApiAddress} (pid {cluster.ApiProcessId}), {Environment.ProcessorCount} cores");

if (mode is "latency" or "all")
{
    foreach (var rate in rates)
    {
        await new LatencyBenchmark(cluster, store, redis).RunAsync(rate, TimeSpan.FromSeconds(seconds), broadcasters, socketsEach, cancel.Token);
    }
}

if (mode is "capacity" or "all")
{
    await new CapacityBenchmark(cluster, store, redis).RunAsync(capacitySockets, capacityBroadcasters, cancel.Token);
}

return 0;

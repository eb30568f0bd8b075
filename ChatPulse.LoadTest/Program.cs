using System.Runtime.InteropServices;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.LoadTest;
using ChatPulse.LoadTest.Overlay;
using Npgsql;
using StackExchange.Redis;

// The load tool (docs/benchmarks-channels.md): the webhook benchmark (default), the overlay's end-to-end latency from
// the webhook and its socket capacity, or all of them against one environment; or, alone, the Redis outage run.
var reading = LoadCommandLine.Read(args, Console.Error);
if (reading.Options is not { } options)
{
    return reading.ExitCode; // help (0) or a bad value (2), already printed
}

// "--json" alone: the JSON is stdout's only content, so the tables go to stderr.
var jsonOut = options.Json switch
{
    null => null,
    "-" => Console.Out,
    var path => new StreamWriter(path),
};
if (options.Json == "-")
{
    Console.SetOut(Console.Error);
}

var figures = new Figures(options);
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
    if (jsonOut is not null)
    {
        figures.Write(jsonOut);
        await jsonOut.FlushAsync();
    }

    return 0;
}
catch (OperationCanceledException) when (overall.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped before the end (Ctrl+C, SIGTERM or the 20-minute limit); nothing is left running.");
    return 1;
}
finally
{
    if (jsonOut is StreamWriter file)
    {
        await file.DisposeAsync();
    }
}

async Task MeasureAsync()
{
    Console.WriteLine($"Starting Postgres, Redis and the {options.Configuration} API (127.0.0.1 only)…");
    var apiSettings = new Dictionary<string, string>(options.ApiEnvironment)
    {
        // Room for the capacity run's sockets beside the latency run's; the production default is 10,000.
        ["MAX_WEBSOCKET_CONNECTIONS"] = (options.CapacitySockets + 1000).ToString(),
    };
    // Several timeline writes in the webhook benchmark's seconds (the production default is 10 s); --api-env may set another.
    apiSettings.TryAdd("TIMELINE_INTERVAL", TimelineWrites.DefaultInterval);
    // The outage run kills and restarts a Redis of its own; the API uses it instead of the AppHost's.
    await using var ownRedis = options.Runs("redis-outage") ? await RedisServer.StartAsync(overall.Token) : null;
    await using var environment = await BenchmarkEnvironment.StartAsync(options.Configuration, apiSettings, overall.Token, ownRedis?.ConnectionString);
    await using var redis = await ConnectionMultiplexer.ConnectAsync(environment.RedisConnectionString);
    await using var dataSource = NpgsqlDataSource.Create(environment.DatabaseConnectionString);
    var store = new StreamerStore(dataSource);
    Console.WriteLine($"API {environment.ApiAddress} (pid {environment.Api.Id}), {Environment.ProcessorCount} cores, load average {string.Join(" ", File.ReadAllText("/proc/loadavg").Split(" ")[..3])}");

    if (options.Runs("webhook"))
    {
        await new WebhookBenchmark(environment, redis, dataSource, store, options, figures).RunAsync(overall.Token);
    }

    if (options.Runs("overlay-latency"))
    {
        foreach (var rate in options.Rates)
        {
            await new LatencyBenchmark(environment, store, new VoteWindow(redis), figures)
                .RunAsync(rate, options.Seconds, options.Broadcasters, options.SocketsPerBroadcaster, overall.Token);
        }
    }

    if (ownRedis is not null)
    {
        await new OutageBenchmark(environment, ownRedis, store, options, figures).RunAsync(overall.Token);
    }

    if (options.Runs("overlay-capacity"))
    {
        await new CapacityBenchmark(environment, store, redis, figures).RunAsync(options.CapacitySockets, options.CapacityBroadcasters, options.CapacityHold, overall.Token);
    }
}

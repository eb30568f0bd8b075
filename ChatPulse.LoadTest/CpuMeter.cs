using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace ChatPulse.LoadTest;

/// <summary>
/// CPU seconds used so far by the API process, Redis (INFO cpu) and this tool: per-request cost that a busy machine
/// does not distort much; and the vote script calls Redis ran (INFO commandstats), so votes per call can be read.
/// </summary>
public sealed class CpuMeter(Process api, IServer redis)
{
    public readonly record struct Reading(double Api, double Redis, double Tool, long ScriptCalls)
    {
        public static Reading operator -(Reading a, Reading b) => new(a.Api - b.Api, a.Redis - b.Redis, a.Tool - b.Tool, a.ScriptCalls - b.ScriptCalls);

        public static Reading operator +(Reading a, Reading b) => new(a.Api + b.Api, a.Redis + b.Redis, a.Tool + b.Tool, a.ScriptCalls + b.ScriptCalls);
    }

    public async Task<Reading> ReadAsync()
    {
        api.Refresh();
        var info = (await redis.InfoAsync("cpu")).SelectMany(g => g).ToDictionary(kv => kv.Key, kv => kv.Value);
        var redisSeconds = double.Parse(info["used_cpu_sys"], CultureInfo.InvariantCulture) + double.Parse(info["used_cpu_user"], CultureInfo.InvariantCulture);
        var evalsha = (await redis.InfoAsync("commandstats")).SelectMany(g => g).FirstOrDefault(kv => kv.Key == "cmdstat_evalsha").Value ?? "";
        var calls = evalsha.Split(',').FirstOrDefault(f => f.StartsWith("calls=", StringComparison.Ordinal)) is { } field ? long.Parse(field["calls=".Length..], CultureInfo.InvariantCulture) : 0;
        return new Reading(api.TotalProcessorTime.TotalSeconds, redisSeconds, Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, calls);
    }
}

using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace ChatPulse.LoadTest;

/// <summary>CPU seconds used so far by the API process, Redis (INFO cpu) and this tool: per-request cost that a busy machine does not distort much.</summary>
public sealed class CpuMeter(Process api, IServer redis)
{
    public readonly record struct Reading(double Api, double Redis, double Tool)
    {
        public static Reading operator -(Reading a, Reading b) => new(a.Api - b.Api, a.Redis - b.Redis, a.Tool - b.Tool);

        public static Reading operator +(Reading a, Reading b) => new(a.Api + b.Api, a.Redis + b.Redis, a.Tool + b.Tool);
    }

    public async Task<Reading> ReadAsync()
    {
        api.Refresh();
        var info = (await redis.InfoAsync("cpu")).SelectMany(g => g).ToDictionary(kv => kv.Key, kv => kv.Value);
        var redisSeconds = double.Parse(info["used_cpu_sys"], CultureInfo.InvariantCulture) + double.Parse(info["used_cpu_user"], CultureInfo.InvariantCulture);
        return new Reading(api.TotalProcessorTime.TotalSeconds, redisSeconds, Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace ChatPulse.LoadTest;

/// <summary>The API under test as its own process, as in production (its own runtime, GC and thread pool).</summary>
public static class ApiProcess
{
    /// <summary>
    /// Starts ChatPulse.Api.dll of <paramref name="configuration"/> with production-like settings and the baseline on;
    /// <paramref name="extra"/> (e.g. <c>--api-env DOTNET_GCgen0size=…</c>) comes last and wins.
    /// </summary>
    public static Process Start(string configuration, int port, string secret, string database, string redis, IReadOnlyDictionary<string, string> extra)
    {
        var assembly = Path.Combine(RepositoryRoot(), "ChatPulse.Api", "bin", configuration, "net10.0", "ChatPulse.Api.dll");
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings__chatpulsedb"] = database,
            ["ConnectionStrings__redis"] = redis,
            ["APP_ENV"] = "staging",
            ["TWITCH_CLIENT_ID"] = "loadtest",
            ["TWITCH_CLIENT_SECRET"] = "loadtest-secret",
            ["TWITCH_REDIRECT_URI"] = "https://127.0.0.1/auth/callback",
            ["WEBHOOK_CALLBACK_URL"] = "https://127.0.0.1/webhooks/eventsub",
            ["WEBHOOK_SECRET"] = secret,
            ["BOT_USER_ID"] = "100000001",
            ["SESSION_SECRET"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            ["TOKEN_ENCRYPTION_KEY"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            ["LOG_LEVEL"] = "info",
            ["Chat__BaselineEndpoint"] = "true",
            ["Aspire__StackExchange__Redis__DisableTracing"] = Environment.GetEnvironmentVariable("LOADTEST_REDIS_TRACING") == "off" ? "true" : "false",
            // One source IP sends everything here; the production limit would cap the baseline, not the webhook.
            ["Chat__WebhookPermitsPerSecond"] = "1000000",
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("OTEL_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        // Runtime knobs given to the tool (e.g. DOTNET_ThreadPool_UnfairSemaphoreSpinLimit) apply to the API as well.
        foreach (var knob in new[] { "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "DOTNET_TieredPGO", "DOTNET_gcServer" })
        {
            if (Environment.GetEnvironmentVariable(knob) is { } value)
            {
                start.Environment[knob] = value;
            }
        }

        foreach (var (key, value) in extra)
        {
            start.Environment[key] = value;
        }

        if (Environment.GetEnvironmentVariable("LOADTEST_PERF_MAP") == "1")
        {
            start.Environment["DOTNET_PerfMapEnabled"] = "1"; // lets `perf report` name JIT-compiled methods
            start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the API");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The API's last output lines (shown when it fails; a busy API is not echoed, to keep the tool's CPU for load).</summary>
    public static string[] Output
    {
        get
        {
            lock (Lines)
            {
                return [.. Lines];
            }
        }
    }

    private static readonly Queue<string> Lines = new();

    /// <summary>The first lines saying a vote was lost, each with the next (its exception); a busy run's later output pushes them out of <see cref="Output"/>.</summary>
    public static string[] Notable
    {
        get
        {
            lock (Lines)
            {
                return [.. NotableLines];
            }
        }
    }

    private static readonly List<string> NotableLines = [];

    private static void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (Lines)
        {
            if (NotableLines.Count < 20 && (line.Contains("was lost", StringComparison.Ordinal) || Lines.LastOrDefault()?.Contains("was lost", StringComparison.Ordinal) == true))
            {
                NotableLines.Add(line.Trim());
            }

            Lines.Enqueue(line);
            if (Lines.Count > 200)
            {
                Lines.Dequeue();
            }
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ChatPulse.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ChatPulse.sln not found above the load tool.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

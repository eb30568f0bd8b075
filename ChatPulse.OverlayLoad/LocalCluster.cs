using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatPulse.OverlayLoad;

/// <summary>
/// The AppHost's Postgres and Redis (started as the tests start them), plus one API replica run as its own
/// process from the build next to this tool, so its working set can be read. Loopback only.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly DistributedApplication _app;
    private readonly string _dataDirectory;
    private Process? _api;

    private LocalCluster(DistributedApplication app, string dataDirectory)
    {
        _app = app;
        _dataDirectory = dataDirectory;
    }

    public string DatabaseConnectionString { get; private set; } = "";

    public string RedisConnectionString { get; private set; } = "";

    public Uri ApiAddress { get; private set; } = null!;

    public int ApiProcessId => _api?.Id ?? throw new InvalidOperationException("The API is not running.");

    public static async Task<LocalCluster> StartAsync(int maxWebSocketConnections, IReadOnlyDictionary<string, string> apiEnvironment, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"chatpulse-overlayload-{Guid.NewGuid():N}");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ChatPulse_AppHost>([$"ChatPulse:DataDirectory={dataDirectory}"], cancellationToken);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("ChatPulse.AppHost.Resources", LogLevel.None) // the resources' own console output
            .AddFilter("Aspire", LogLevel.Error)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        var app = await builder.BuildAsync(cancellationToken);
        var cluster = new LocalCluster(app, dataDirectory);
        try
        {
            await app.StartAsync(cancellationToken);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("chatpulse", cancellationToken);
            cluster.DatabaseConnectionString = await app.GetConnectionStringAsync("chatpulsedb", cancellationToken) ?? "";
            cluster.RedisConnectionString = await app.GetConnectionStringAsync("redis", cancellationToken) ?? "";

            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__chatpulsedb"] = cluster.DatabaseConnectionString,
                ["ConnectionStrings__redis"] = cluster.RedisConnectionString,
                ["MAX_WEBSOCKET_CONNECTIONS"] = maxWebSocketConnections.ToString(),
                ["Logging__LogLevel__Default"] = "Warning",
                ["TWITCH_REDIRECT_URI"] = "http://127.0.0.1/auth/callback", // required settings; the benchmark uses neither
                ["WEBHOOK_CALLBACK_URL"] = "http://127.0.0.1/webhooks/eventsub",
            };
            foreach (var parameter in builder.Resources.OfType<ParameterResource>().Where(p => !p.Name.EndsWith("-password", StringComparison.Ordinal)))
            {
                environment[parameter.Name.Replace('-', '_').ToUpperInvariant()] = await parameter.GetValueAsync(cancellationToken) ?? "";
            }

            foreach (var (key, value) in apiEnvironment)
            {
                environment[key] = value;
            }

            await cluster.StartApiAsync(environment, cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync(); // never leave Postgres, Redis or the API running behind a failed start
            throw;
        }
    }

    /// <summary>The API process's resident set (VmRSS), in bytes.</summary>
    public long ApiWorkingSet()
    {
        var line = File.ReadLines($"/proc/{ApiProcessId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is { HasExited: false })
        {
            _api.Kill(entireProcessTree: true);
            await _api.WaitForExitAsync();
        }

        _api?.Dispose();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Postgres may still be flushing; the temp folder goes eventually.
        }
    }

    private async Task StartApiAsync(Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var dll = ApiAssembly();
        var startInfo = new ProcessStartInfo("dotnet", [dll]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        startInfo.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        _api = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the API.");
        _api.OutputDataReceived += (_, _) => { };
        _api.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"api: {e.Data}"); };
        _api.BeginOutputReadLine();
        _api.BeginErrorReadLine();
        ApiAddress = new Uri($"http://127.0.0.1:{port}");

        using var http = new HttpClient { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync("/health/ready", deadline.Token);
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !deadline.IsCancellationRequested))
            {
                // Not listening yet, or too slow to answer on a busy machine: ask again.
            }

            if (_api.HasExited)
            {
                throw new InvalidOperationException($"The API exited with {_api.ExitCode}.");
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    // The API as built beside this tool, in the same configuration (Release for numbers worth reporting).
    private static string ApiAssembly()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ChatPulse.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("ChatPulse.sln not found above the tool."),
            "ChatPulse.Api", "bin", configuration, "net10.0", "ChatPulse.Api.dll");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

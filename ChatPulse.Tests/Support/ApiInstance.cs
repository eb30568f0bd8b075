using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;

namespace ChatPulse.Tests.Support;

/// <summary>
/// The one way a test hosts an API replica: its own process, run from the built ChatPulse.Api.dll with the settings
/// a test gives it (usually the AppHost's Postgres, Redis and Twitch stand-in, so replicas share state as in
/// production). <see cref="StartAsync(AppHostFixture, Action{Dictionary{string, string}}?, RestrictedProcess?)"/>
/// starts one on the collection's fixture with a Twitch app of its own; <see cref="StartAsync(IReadOnlyDictionary{string, string}, int?, RestrictedProcess?)"/>
/// and <see cref="Start"/> start one with exactly the settings given, ready or not yet. For the API's services in
/// the test process, without HTTP, use <see cref="ApiServices"/> instead.
/// </summary>
public sealed partial class ApiInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lazy<NpgsqlDataSource> _database;
    private int _disposed;

    private ApiInstance(Process process, Uri baseAddress, IReadOnlyDictionary<string, string> environment)
    {
        _process = process;
        BaseAddress = baseAddress;
        Environment = environment;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = Waits.Short };
        _database = new(() => NpgsqlDataSource.Create(Environment["ConnectionStrings__chatpulsedb"]));
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>The settings the replica runs with (its Twitch app, its Postgres and Redis), as the test gave them.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The replica's database (the shared one unless a test gave it its own), for asserting what it stored.</summary>
    public NpgsqlDataSource Database => _database.Value;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The JSON log entries the replica wrote so far (it runs with <c>LOG_FORMAT=json</c>).</summary>
    public IReadOnlyList<JsonLogEntry> Logs => JsonLogEntry.Parse(Output);

    /// <summary>
    /// Starts the API with exactly <paramref name="environment"/> (plus the listening address, on <paramref name="port"/>
    /// when given) and returns at once, for tests that watch it start; see <see cref="StartAsync(IReadOnlyDictionary{string, string}, int?, RestrictedProcess?)"/>.
    /// </summary>
    /// <param name="restricted">Run as another (unprivileged) user from another copy of the build, as a pod would.</param>
    public static ApiInstance Start(IReadOnlyDictionary<string, string> environment, int? port = null, RestrictedProcess? restricted = null)
    {
        port ??= FreePort.Next();
        var assembly = restricted is null ? RepositoryPaths.ApiAssembly : Path.Combine(restricted.ApplicationDirectory, Path.GetFileName(RepositoryPaths.ApiAssembly));
        // setpriv replaces itself with dotnet, so the process stays the one to signal and kill.
        var startInfo = new ProcessStartInfo(restricted is null ? "dotnet" : "setpriv", restricted is null ? [assembly]
            : [$"--reuid={restricted.UserId}", $"--regid={restricted.UserId}", "--clear-groups", "--", "dotnet", assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            if (key is "ASPNETCORE_URLS" or "ASPNETCORE_HTTP_PORTS" or "HTTP_PORTS" || key.StartsWith("OTEL_", StringComparison.Ordinal))
            {
                continue;
            }

            startInfo.Environment[key] = value;
        }

        startInfo.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start the API");
        return new ApiInstance(process, new Uri($"http://127.0.0.1:{port}"), new Dictionary<string, string>(environment));
    }

    /// <summary>
    /// True once this process says it listens on its address. The port was free when chosen, but on a busy machine
    /// another process may take it first; then the answers would come from a stranger, and this process fails.
    /// </summary>
    private bool IsOwnListener()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The API exited with {_process.ExitCode}:\n{Output}");
        }

        return Output.Contains($"Now listening on: {BaseAddress.GetLeftPart(UriPartial.Authority)}", StringComparison.Ordinal);
    }

    /// <summary>Waits until /health/ready answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        await Waits.Until(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Client.GetAsync("/health/ready");
                return response.StatusCode == HttpStatusCode.OK && IsOwnListener();
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, timeout ?? Waits.AppStart, "the API instance to become ready");
    }

    /// <summary>
    /// Waits until readiness names <paramref name="check"/> as failing (503, or degraded during the grace period):
    /// the replica has seen that dependency go.
    /// </summary>
    public Task WaitUntilFailingAsync(string check) => Waits.Until(async () =>
    {
        using var response = await Client.GetAsync("/health/ready");
        using var report = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return report.RootElement.TryGetProperty("failing", out var failing) && failing.EnumerateArray().Any(e => e.GetString() == check);
    }, Waits.Short, $"the replica to notice {check} is gone");

    /// <summary>Waits until the API answers at all (any status on /health/live).</summary>
    public Task WaitUntilListeningAsync() => Waits.Until(async () =>
    {
        try
        {
            using var response = await Client.GetAsync("/health/live");
            return IsOwnListener();
        }
        catch (HttpRequestException) when (!_process.HasExited)
        {
            return false;
        }
    }, Waits.AppStart, "the API instance to listen");

    /// <summary>Waits until an entry matching <paramref name="match"/> was logged; returns it.</summary>
    public async Task<JsonLogEntry> WaitForLogAsync(Func<JsonLogEntry, bool> match, string what)
    {
        JsonLogEntry? found = null;
        await Waits.Until(() => Task.FromResult((found = Logs.FirstOrDefault(match)) is not null), Waits.Short, what);
        return found!;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as Kubernetes does when it stops a pod.</summary>
    public void Terminate() => _ = SendSignal(_process.Id, 15);

    /// <summary>Kills the process outright, as a crashed node would.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Stops the replica; a second call does nothing (a test may stop it early and still hold it in a using).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_database.IsValueCreated)
        {
            await _database.Value.DisposeAsync();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}

/// <summary>An API process run as <paramref name="UserId"/> (user and group) from <paramref name="ApplicationDirectory"/>.</summary>
public sealed record RestrictedProcess(int UserId, string ApplicationDirectory);

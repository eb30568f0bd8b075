using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ChatPulse.Tests.Support;

/// <summary>
/// One more ChatPulse API replica, run as its own process from the built ChatPulse.Api.dll, with the settings
/// a test gives it (usually the AppHost's Postgres and Redis, so replicas share state as in production).
/// </summary>
public sealed class ApiInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ApiInstance(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = Waits.Short };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

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

    /// <summary>Starts the API with exactly <paramref name="environment"/> (plus the listening address, on <paramref name="port"/> when given).</summary>
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
        return new ApiInstance(process, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Waits until /health/ready answers 200.</summary>
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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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

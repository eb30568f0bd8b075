using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ChatPulse.Tests.Support;

/// <summary>
/// Debian's headless Chromium, driven over the Chrome DevTools Protocol with System.Net.WebSockets: one
/// process with a fresh profile per test, one page target, killed by its own PID when disposed.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _devtools = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private int _nextId;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<Chromium> LaunchAsync()
    {
        var profile = Directory.CreateTempSubdirectory("chatpulse-chromium-").FullName;
        var startInfo = new ProcessStartInfo(ExecutablePath,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--mute-audio",
            $"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
        ])
        { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start chromium");
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var chromium = new Chromium(process, profile);
        try
        {
            await chromium.AttachAsync();
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    /// <summary>Calls a DevTools method on the page and returns its result.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = response;
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _devtools.SendAsync(message, WebSocketMessageType.Text, true, _stop.Token);
        return await response.Task.WaitAsync(Waits.Short);
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var error))
        {
            throw new InvalidOperationException($"{expression} threw: {error}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    public Task WaitForAsync(string condition, string what, TimeSpan? timeout = null) =>
        Waits.Until(async () => (await EvaluateAsync($"(() => {{ try {{ return !!({condition}); }} catch {{ return false; }} }})()")).GetBoolean(),
            timeout ?? Waits.Short, what); // false, not an error, while the page is still loading

    public async Task SaveScreenshotAsync(string path)
    {
        var shot = await SendAsync("Page.captureScreenshot", new { format = "png" });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _devtools.Abort();
        _devtools.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(Waits.Short);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A child may still hold a file for a moment; the temp folder is cleaned eventually.
        }
    }

    private async Task AttachAsync()
    {
        // Chromium writes its chosen port to DevToolsActivePort in the profile once it listens.
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        await Waits.Until(() => Task.FromResult(File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 2), Waits.Short, "chromium's DevTools port");
        var port = int.Parse(File.ReadAllLines(portFile)[0]);
        using var http = new HttpClient { Timeout = Waits.Short };
        using var targets = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"));
        var page = targets.RootElement.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
        using var timeout = new CancellationTokenSource(Waits.Short);
        await _devtools.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), timeout.Token);
        _ = ReadAsync();
        await SendAsync("Page.enable");
        await SendAsync("Runtime.enable");
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _devtools.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                using var document = JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray()));
                var root = document.RootElement;
                if (root.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var response))
                {
                    if (root.TryGetProperty("error", out var error))
                    {
                        response.TrySetException(new InvalidOperationException($"DevTools error: {error}"));
                    }
                    else
                    {
                        response.TrySetResult(root.GetProperty("result").Clone());
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetCanceled();
            }
        }
    }
}

using System.Diagnostics;
using StackExchange.Redis;

namespace ChatPulse.LoadTest;

/// <summary>
/// The outage run's own <c>redis-server</c> (loopback, a password, no persistence, as the AppHost runs it), which it
/// kills (SIGKILL) and starts again on the same port, empty.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly int _port = ApiProcess.FreePort();
    private Process? _process;

    public string ConnectionString => $"127.0.0.1:{_port},password={_password}";

    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken)
    {
        var server = new RedisServer();
        await server.StartAgainAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts the server (again) and waits until it answers PING.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        _process?.Dispose();
        _process = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", _port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", _password])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start redis-server");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        _process.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var client = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",connectTimeout=1000");
                await client.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException e)
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(30) || _process.HasExited)
                {
                    throw new InvalidOperationException($"redis-server on port {_port} did not answer:\n{string.Join('\n', output.TakeLast(10))}", e);
                }

                await Task.Delay(50, cancellationToken);
            }
        }
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}

using System.Diagnostics;
using StackExchange.Redis;

namespace ChatPulse.Tests.Support;

/// <summary>
/// A <c>redis-server</c> of the test's own, as the AppHost runs it (loopback, a password, no persistence), for tests
/// that kill Redis: the collection's shared one stays up. <see cref="Kill"/> is a crash (SIGKILL);
/// <see cref="StartAgainAsync"/> starts it on the same port, empty, as a restarted Redis without persistence is.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly string _password = Guid.NewGuid().ToString("N");
    private Process? _process;

    private RedisServerProcess(int port) => Port = port;

    /// <summary>The port it listens on (a test may start it again on another, see <see cref="StartAgainAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary>For the API's <c>ConnectionStrings__redis</c> and the test's own clients (which reconnect by themselves).</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={_password},abortConnect=false,connectTimeout=2000";

    public static async Task<RedisServerProcess> StartAsync()
    {
        var server = new RedisServerProcess(FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again, empty) on <see cref="Port"/>, or on <paramref name="port"/>, and waits until it answers PING.</summary>
    public async Task StartAgainAsync(int? port = null)
    {
        Port = port ?? Port;
        _process?.Dispose();
        var start = new ProcessStartInfo("redis-server",
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", _password])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Waits.Until(async () =>
        {
            try
            {
                await using var client = await ConnectionMultiplexer.ConnectAsync(ConnectionString.Replace("abortConnect=false", "abortConnect=true"));
                await client.GetDatabase().PingAsync();
                return true;
            }
            catch (RedisConnectionException) when (!_process.HasExited)
            {
                return false;
            }
        }, Waits.Short, $"redis-server on port {Port} to answer");
    }

    /// <summary>A test's own connection, admin commands allowed (e.g. <c>CONFIG SET</c>).</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() =>
        ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},password={_password},allowAdmin=true,connectTimeout=2000");

    /// <summary>Kills the server outright (SIGKILL), as a crashed node would, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            using var timeout = new CancellationTokenSource(Waits.Short);
            await _process.WaitForExitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}

using System.Diagnostics;
using StackExchange.Redis;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// A <c>redis-server</c> of a test's own (no persistence, loopback only, as the AppHost's LocalRedis runs it), to
/// kill and start again on the same port while a replica uses it. The collection's shared Redis is never touched.
/// </summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private Process? _process;

    private RedisProcess(int port) => Port = port;

    public int Port { get; private set; }

    /// <summary>What the replica under test connects with: it keeps retrying while the server is gone.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000";

    public static async Task<RedisProcess> StartAsync()
    {
        var redis = new RedisProcess(ApiInstance.FreePort());
        await redis.RestartAsync();
        return redis;
    }

    /// <summary>Starts the server on its port (again, empty, after <see cref="Kill"/>) and waits until it answers.</summary>
    public async Task RestartAsync(int? port = null)
    {
        Port = port ?? Port;
        _process = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start redis-server");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Waits.Until(async () =>
        {
            try
            {
                await using var connection = await ConnectAsync();
                return connection.IsConnected;
            }
            catch (RedisConnectionException)
            {
                return false;
            }
        }, Waits.Short, "redis-server to answer");
    }

    /// <summary>A test's own connection (admin commands allowed).</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() =>
        ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},allowAdmin=true,connectTimeout=2000");

    /// <summary>Kills the server outright (SIGKILL), as a crashed pod would be; its data is gone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}

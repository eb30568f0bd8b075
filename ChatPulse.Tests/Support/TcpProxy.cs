using System.Collections.Concurrent;
using System.Net.Sockets;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Tests.Support;

/// <summary>
/// A loopback TCP proxy in front of a dependency the collection shares (its Postgres or Redis): a test points its
/// own replica at the proxy and <see cref="Cut"/>s it to simulate an outage for that replica alone, then
/// <see cref="Restore"/>s it. While cut, open connections are reset and new ones are accepted and reset at once.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Task _accepting;
    private volatile bool _cut;

    private TcpProxy(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A proxy in front of <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static TcpProxy Start(string host, int port) => new(host, port);

    /// <summary>A proxy in front of the Postgres of <paramref name="connectionString"/>; <see cref="RewritePostgres"/> gives the string through it.</summary>
    public static TcpProxy ForPostgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return Start(builder.Host!, builder.Port);
    }

    /// <summary>A proxy in front of the (single) Redis of a StackExchange.Redis configuration string.</summary>
    public static TcpProxy ForRedis(string configuration)
    {
        var endPoint = ConfigurationOptions.Parse(configuration).EndPoints.Single();
        return endPoint switch
        {
            DnsEndPoint dns => Start(dns.Host, dns.Port),
            IPEndPoint ip => Start(ip.Address.ToString(), ip.Port),
            _ => throw new ArgumentException($"unsupported Redis endpoint {endPoint}", nameof(configuration)),
        };
    }

    /// <summary><paramref name="connectionString"/> for Postgres, pointed at this proxy.</summary>
    public string RewritePostgres(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    /// <summary><paramref name="configuration"/> for Redis, pointed at this proxy.</summary>
    public string RewriteRedis(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.EndPoints.Clear();
        options.EndPoints.Add(IPAddress.Loopback, Port);
        return options.ToString(includePassword: true);
    }

    /// <summary>Resets every open connection and every new one until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        foreach (var socket in _open.Keys)
        {
            Reset(socket);
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_cut)
            {
                Reset(client);
                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        _open[client] = 0;
        _open[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(_upstreamHost, _upstreamPort, _stopping.Token);
            // Whichever direction ends first ends both: a half-open relay would hide the cut.
            await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client));
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Cut, or the proxy is stopping: both ends are reset below.
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(upstream, out _);
            Reset(client);
            Reset(upstream);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The other side went away, or the connection was cut.
        }
    }

    /// <summary>Closes with RST, as a dead peer or a dropped route looks to the client.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // Closed already, or never connected.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stopping.Dispose();
    }
}

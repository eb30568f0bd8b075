using System.Net.Sockets;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// A loopback TCP relay in front of a server (the collection's Postgres), so a test can take that server away from
/// one replica — refuse new connections and cut open ones — without stopping it for anyone else.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync(_listener, _stop.Token);
    }

    public int Port { get; }

    /// <summary>Stops listening (new connections are refused) and resets every relayed connection.</summary>
    public void Close()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Client.LingerState = new LingerOption(true, 0); // RST, as a dead server's host sends
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var inbound = await listener.AcceptTcpClientAsync(stop);
                var outbound = new TcpClient();
                await outbound.ConnectAsync(_targetHost, _targetPort, stop);
                lock (_open)
                {
                    _open.Add(inbound);
                    _open.Add(outbound);
                }

                _ = RelayAsync(inbound, outbound, stop);
                _ = RelayAsync(outbound, inbound, stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed.
        }
    }

    private static async Task RelayAsync(TcpClient from, TcpClient to, CancellationToken stop)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), stop);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // One side went away; Close resets the other.
        }
        finally
        {
            try
            {
                to.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already reset.
            }
        }
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;

namespace ChatPulse.LoadTest.Overlay;

/// <summary>
/// One overlay socket as a benchmark client: reads frames and reports each state frame's <c>totalVotes</c>
/// with the Stopwatch time it arrived.
/// </summary>
public sealed class OverlaySocket(ClientWebSocket socket, int broadcaster, Action<OverlaySocket, long, long> onState)
{
    public int Broadcaster => broadcaster;

    public int Frames { get; private set; }

    public bool Open => socket.State == WebSocketState.Open;

    // Each socket is its own OBS: it connects from a loopback address of its own (Linux routes all of 127/8 to lo),
    // so the API's per-client socket cap and upgrade rate limit see as many clients as there are overlays.
    private static readonly HttpMessageInvoker FromOwnAddress = new(new SocketsHttpHandler { ConnectCallback = ConnectFromNextAddressAsync });
    private static int _clients;

    public static async Task<OverlaySocket> ConnectAsync(Uri api, Guid overlayId, int broadcaster, Action<OverlaySocket, long, long> onState, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // the server pings; answering is automatic
        var uri = new UriBuilder(api) { Scheme = "ws", Path = $"/ws/overlay/{overlayId}" }.Uri;
        await socket.ConnectAsync(uri, FromOwnAddress, cancellationToken);
        return new OverlaySocket(socket, broadcaster, onState);
    }

    private static async ValueTask<Stream> ConnectFromNextAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _clients);
        var source = new IPAddress([127, (byte)(2 + (n / 62_500)), (byte)(n / 250 % 250), (byte)((n % 250) + 2)]);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Receives until the socket closes or <paramref name="stop"/> fires.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), stop);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var received = Stopwatch.GetTimestamp();
                if (result.EndOfMessage && ReadTotalVotes(buffer.AsSpan(0, result.Count)) is { } total)
                {
                    Frames++;
                    onState(this, total, received);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        socket.Dispose();
    }

    private static long? ReadTotalVotes(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("totalVotes"u8))
            {
                reader.Read();
                return reader.GetInt64();
            }
        }

        return null; // a ping
    }
}

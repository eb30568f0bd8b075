using System.Buffers;
using System.Diagnostics;
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

    public static async Task<OverlaySocket> ConnectAsync(Uri api, Guid overlayId, int broadcaster, Action<OverlaySocket, long, long> onState, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // the server pings; answering is automatic
        var uri = new UriBuilder(api) { Scheme = "ws", Path = $"/ws/overlay/{overlayId}" }.Uri;
        await socket.ConnectAsync(uri, cancellationToken);
        return new OverlaySocket(socket, broadcaster, onState);
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

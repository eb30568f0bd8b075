using System.Net.WebSockets;
using System.Threading.Channels;
using ChatPulse.Api.Infrastructure.Telemetry;

namespace ChatPulse.Api.Overlay;

/// <summary>Where a broadcaster's frames go; an overlay socket in production.</summary>
internal interface IOverlaySink
{
    Guid OverlayId { get; }

    /// <summary>Queues a state frame without waiting; a frame still queued is replaced (latest state wins).</summary>
    void Enqueue(byte[] frame);

    /// <summary>Queues an app-level ping, sent when no state frame is waiting.</summary>
    void EnqueuePing();

    /// <summary>Ends the connection with <paramref name="code"/> once what is being sent has gone.</summary>
    void RequestClose(int code, string reason);
}

/// <summary>
/// One overlay socket. Its outbox holds one state frame and one pending ping, so a slow peer costs a
/// replaced frame (counted as dropped), never a delay for anyone else.
/// </summary>
internal sealed class OverlayConnection(WebSocket socket, Guid overlayId, string broadcasterId, ChatPulseMetrics metrics) : IOverlaySink
{
    private static readonly KeyValuePair<string, object?> SlowSocket = new("reason", "slow_socket");

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private byte[]? _pendingState;
    private int _pingPending;
    private CloseRequest? _closeRequest;

    public Guid OverlayId => overlayId;

    public string BroadcasterId => broadcasterId;

    public void Enqueue(byte[] frame)
    {
        if (Interlocked.Exchange(ref _pendingState, frame) is not null)
        {
            metrics.FramesDropped.Add(1, SlowSocket);
        }

        _wake.Writer.TryWrite(true);
    }

    public void EnqueuePing()
    {
        Interlocked.Exchange(ref _pingPending, 1);
        _wake.Writer.TryWrite(true);
    }

    public void RequestClose(int code, string reason)
    {
        Interlocked.CompareExchange(ref _closeRequest, new CloseRequest(code, reason), null);
        _wake.Writer.TryComplete();
    }

    /// <summary>Sends and receives until either side closes or <paramref name="aborted"/> fires.</summary>
    public async Task RunAsync(CancellationToken aborted)
    {
        var receiving = ReceiveUntilCloseAsync(aborted);
        var sending = SendUntilClosedAsync(aborted);
        if (await Task.WhenAny(receiving, sending) == receiving)
        {
            _wake.Writer.TryComplete(); // the peer left: answer its close, stop sending
            await sending;
            return;
        }

        try
        {
            // We sent the close frame; the peer's answer ends the receive loop.
            await receiving.WaitAsync(OverlayProtocol.CloseHandshakeTimeout, aborted);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    private async Task SendUntilClosedAsync(CancellationToken aborted)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(aborted))
            {
                _wake.Reader.TryRead(out _);
                while (TakeNext() is { } frame)
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, aborted);
                    if (!ReferenceEquals(frame, OverlayFrames.Ping))
                    {
                        metrics.FramesSent.Add(1);
                    }
                }
            }

            if (_closeRequest is { } request && socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)request.Code, request.Reason, aborted);
            }
            else if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "", aborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is gone; nothing left to tell it.
        }
    }

    private byte[]? TakeNext()
    {
        if (Interlocked.Exchange(ref _pendingState, null) is { } state)
        {
            return state;
        }

        return Interlocked.Exchange(ref _pingPending, 0) == 1 ? OverlayFrames.Ping : null;
    }

    private async Task ReceiveUntilCloseAsync(CancellationToken aborted)
    {
        // The page sends nothing; a small buffer is enough to drain anything a client does send.
        var buffer = new byte[64];
        try
        {
            while ((await socket.ReceiveAsync(buffer.AsMemory(), aborted)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped without a close frame (network loss, keep-alive timeout).
        }
    }

    private sealed record CloseRequest(int Code, string Reason);
}

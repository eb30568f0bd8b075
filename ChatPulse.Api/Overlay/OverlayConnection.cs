using System.Net.WebSockets;
using ChatPulse.Api.Infrastructure.Telemetry;

namespace ChatPulse.Api.Overlay;

/// <summary>Where a broadcaster's frames go; an overlay socket in production, the tests' recording sinks otherwise.</summary>
internal interface IOverlaySink
{
    Guid OverlayId { get; }

    /// <summary>The dashboard's preview or the dock: it keeps the channel watched, but is not one of the streamer's overlays.</summary>
    bool IsPreview => false;

    /// <summary>Queues a state frame without waiting; a frame still queued is replaced (latest state wins).</summary>
    void Enqueue(byte[] frame);

    /// <summary>Queues an app-level ping, sent when no state frame is waiting.</summary>
    void EnqueuePing();

    /// <summary>Ends the connection with <paramref name="code"/> once what is being sent has gone.</summary>
    void RequestClose(int code, string reason);
}

/// <summary>
/// One overlay socket. Its outbox holds one state frame and one pending ping, so a slow peer costs a replaced
/// frame (counted as dropped), never a delay for anyone else. A send task runs only while there is something to
/// send; an idle socket costs its pending receive and nothing more.
/// </summary>
internal sealed class OverlayConnection(WebSocket socket, Guid overlayId, string broadcasterId, ChatPulseMetrics metrics, bool isPreview = false) : IOverlaySink
{
    public bool IsPreview { get; } = isPreview;

    private static readonly KeyValuePair<string, object?> SlowSocket = new("reason", "slow_socket");

    private readonly TaskCompletionSource _closeSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _pendingState;
    private int _pingPending;
    private CloseRequest? _closeRequest;
    private int _sending;
    private bool _started;
    private CancellationToken _aborted;

    public Guid OverlayId => overlayId;

    public string BroadcasterId => broadcasterId;

    public void Enqueue(byte[] frame)
    {
        if (Interlocked.Exchange(ref _pendingState, frame) is not null)
        {
            metrics.FramesDropped.Add(1, SlowSocket);
        }

        Kick();
    }

    public void EnqueuePing()
    {
        Interlocked.Exchange(ref _pingPending, 1);
        Kick();
    }

    public void RequestClose(int code, string reason)
    {
        Interlocked.CompareExchange(ref _closeRequest, new CloseRequest(code, reason), null);
        Kick();
    }

    /// <summary>Sends what is queued and receives until either side closes or <paramref name="aborted"/> fires.</summary>
    public async Task RunAsync(CancellationToken aborted)
    {
        _aborted = aborted;
        Volatile.Write(ref _started, true);
        Kick(); // whatever was queued before the socket was served

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
            return; // dropped without a close frame (network loss, keep-alive timeout, shutdown deadline)
        }

        if (socket.State == WebSocketState.CloseReceived)
        {
            // The peer closed first: answer with its code once what is in flight has gone.
            RequestClose((int)(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure), "");
            try
            {
                await _closeSent.Task.WaitAsync(OverlayProtocol.CloseHandshakeTimeout);
            }
            catch (TimeoutException)
            {
                socket.Abort();
            }
        }
    }

    private void Kick()
    {
        if (Volatile.Read(ref _started) && Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
        {
            _ = SendPendingAsync();
        }
    }

    private async Task SendPendingAsync()
    {
        try
        {
            do
            {
                while (TakeNext() is { } frame)
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _aborted);
                    if (!ReferenceEquals(frame, OverlayFrames.Ping))
                    {
                        metrics.FramesSent.Add(1);
                    }
                }

                if (_closeRequest is { } request && !_closeSent.Task.IsCompleted)
                {
                    await CloseAsync(request);
                    return; // nothing is sent after the close frame; _sending stays set
                }

                Volatile.Write(ref _sending, 0);
            }
            while (HasWork() && Interlocked.CompareExchange(ref _sending, 1, 0) == 0); // queued after the last look
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closeSent.TrySetResult(); // the connection is gone; nothing left to tell it
        }
    }

    private async Task CloseAsync(CloseRequest request)
    {
        var weInitiated = socket.State == WebSocketState.Open;
        if (weInitiated || socket.State == WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)request.Code, request.Reason, _aborted);
        }

        _closeSent.TrySetResult();
        if (weInitiated)
        {
            // The peer's close frame ends the receive loop; one that never answers is cut off.
            await Task.Delay(OverlayProtocol.CloseHandshakeTimeout, _aborted);
            if (socket.State != WebSocketState.Closed)
            {
                socket.Abort();
            }
        }
    }

    private bool HasWork() =>
        Volatile.Read(ref _pendingState) is not null || Volatile.Read(ref _pingPending) == 1 || (_closeRequest is not null && !_closeSent.Task.IsCompleted);

    private byte[]? TakeNext()
    {
        if (Interlocked.Exchange(ref _pendingState, null) is { } state)
        {
            return state;
        }

        return Interlocked.Exchange(ref _pingPending, 0) == 1 ? OverlayFrames.Ping : null;
    }

    private sealed record CloseRequest(int Code, string Reason);
}

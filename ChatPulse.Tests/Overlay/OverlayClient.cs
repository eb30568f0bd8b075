using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

/// <summary>A test's overlay socket: records every frame it receives, and how the server closed it.</summary>
internal sealed class OverlayClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _states = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource<int?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private bool _disposed;

    private OverlayClient(ClientWebSocket socket)
    {
        _socket = socket;
        _ = ReadAsync();
    }

    public int StatesReceived { get; private set; }

    public int PingsReceived { get; private set; }

    public static Uri SocketUri(Uri baseAddress, string overlayId) =>
        new UriBuilder(baseAddress) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws", Path = $"/ws/overlay/{overlayId}" }.Uri;

    public static async Task<OverlayClient> ConnectAsync(Uri baseAddress, Guid overlayId, string? origin = null, string? forwardedFor = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        if (forwardedFor is not null)
        {
            socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        }

        using var timeout = new CancellationTokenSource(Waits.Short);
        await socket.ConnectAsync(SocketUri(baseAddress, overlayId.ToString()), timeout.Token);
        return new OverlayClient(socket);
    }

    /// <summary>
    /// A socket handshake sent as plain HTTP, for the status, Retry-After and problem body of a refused upgrade, which
    /// a WebSocket client never shows. Use it only where the upgrade is refused.
    /// </summary>
    public static async Task<(HttpStatusCode Status, string? RetryAfter, JsonElement Problem)> RefusedUpgradeAsync(
        Uri baseAddress, Guid overlayId, string? forwardedFor = null)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = Waits.Short };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/ws/overlay/{overlayId}");
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, response.Headers.RetryAfter?.ToString(), body.RootElement.Clone());
    }

    /// <summary>The next state frame (pings skipped); fails on close or timeout.</summary>
    public async Task<JsonElement> NextStateAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Waits.Short);
        try
        {
            return await _states.Reader.ReadAsync(cts.Token);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The socket closed ({_closed.Task.Result}) before the next state frame.");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No state frame arrived in time.");
        }
    }

    /// <summary>Reads state frames until one matches.</summary>
    public async Task<JsonElement> WaitForStateAsync(Func<JsonElement, bool> predicate, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Waits.Short);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Timed out waiting for a state frame with {what}.");
            }

            var state = await NextStateAsync(left);
            if (predicate(state))
            {
                return state;
            }
        }
    }

    /// <summary>The close code the server sent (null when the connection dropped without one).</summary>
    public Task<int?> WaitForCloseAsync(TimeSpan? timeout = null) => _closed.Task.WaitAsync(timeout ?? Waits.Short);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }

        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((int?)_socket.CloseStatus);
                    break;
                }

                using var document = JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray()));
                var frame = document.RootElement.Clone();
                if (frame.GetProperty("type").GetString() == "state")
                {
                    StatesReceived++;
                    _states.Writer.TryWrite(frame);
                }
                else
                {
                    PingsReceived++;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            _states.Writer.TryComplete();
        }
    }
}

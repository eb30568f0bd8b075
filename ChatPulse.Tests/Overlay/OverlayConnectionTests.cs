using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChatPulse.Api.Overlay;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

public sealed class OverlayConnectionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_stalled_socket_keeps_only_the_latest_frame_counts_the_rest_as_dropped_and_delays_no_one_else()
    {
        using var slowMetrics = new TestMetrics();
        using var fastMetrics = new TestMetrics();
        using var slowPair = new InMemoryWebSocketPair(writesBlocked: true);
        using var fastPair = new InMemoryWebSocketPair();
        using var stop = new CancellationTokenSource();
        var slow = new OverlayConnection(slowPair.Server, Guid.NewGuid(), "42", slowMetrics.Metrics);
        var fast = new OverlayConnection(fastPair.Server, Guid.NewGuid(), "42", fastMetrics.Metrics);
        var running = new[] { slow.RunAsync(stop.Token), fast.RunAsync(stop.Token) };

        slow.Enqueue(Frame(1));
        await slowPair.ServerWriteStarted.WaitAsync(Patience); // frame 1 is stuck in the peer's full pipe
        for (var n = 1; n <= 100; n++)
        {
            fast.Enqueue(Frame(n));
            if (n > 1)
            {
                slow.Enqueue(Frame(n));
            }
        }

        var fastLast = await ReadUntilAsync(fastPair.Client, 100);
        slowPair.UnblockServerWrites();
        var slowReceived = new[] { await ReadAsync(slowPair.Client), await ReadAsync(slowPair.Client) };

        Assert.Equal(100, fastLast);
        Assert.Equal([1, 100], slowReceived);
        Assert.Equal(98, slowMetrics.Total("chatpulse.overlay.frames.dropped|reason=slow_socket"));
        Assert.Equal(2, slowMetrics.Total("chatpulse.overlay.frames.sent"));

        slow.RequestClose(OverlayProtocol.CloseGoingAway, "done");
        fast.RequestClose(OverlayProtocol.CloseGoingAway, "done");
        stop.Cancel();
        await Task.WhenAll(running).WaitAsync(Patience);
    }

    [Fact]
    public async Task A_requested_close_reaches_the_peer_with_its_code_after_the_pending_frame()
    {
        using var pair = new InMemoryWebSocketPair();
        using var metrics = new TestMetrics();
        var connection = new OverlayConnection(pair.Server, Guid.NewGuid(), "42", metrics.Metrics);
        var running = connection.RunAsync(CancellationToken.None);

        connection.Enqueue(Frame(7));
        connection.RequestClose(OverlayProtocol.CloseOverlayGone, "overlay rotated");
        var frame = await ReadAsync(pair.Client);
        var close = await pair.Client.ReceiveAsync(new byte[64], CancellationToken.None).WaitAsync(Patience);
        await pair.Client.CloseOutputAsync(close.CloseStatus!.Value, "", CancellationToken.None);
        await running.WaitAsync(Patience);

        Assert.Equal(7, frame);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(OverlayProtocol.CloseOverlayGone, (int)close.CloseStatus.Value);
    }

    private static byte[] Frame(int n) => Encoding.UTF8.GetBytes($$"""{"type":"state","n":{{n}}}""");

    private static async Task<int> ReadUntilAsync(WebSocket client, int last)
    {
        int n;
        do
        {
            n = await ReadAsync(client);
        }
        while (n != last);

        return n;
    }

    private static async Task<int> ReadAsync(WebSocket client)
    {
        var buffer = new byte[256];
        var result = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Patience);
        using var frame = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
        return frame.RootElement.GetProperty("n").GetInt32();
    }
}

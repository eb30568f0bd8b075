using System.Net.WebSockets;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

[Collection(AppHostCollection.Name)]
public sealed class OverlayCapacityTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task Past_MAX_WEBSOCKET_CONNECTIONS_a_replica_refuses_with_503_and_a_problem_body_until_a_slot_frees()
    {
        var environment = fixture.SharedApiEnvironment();
        environment["MAX_WEBSOCKET_CONNECTIONS"] = "2";
        await using var replica = await ApiInstance.StartAsync(environment);
        var streamer = await _scenario.NewStreamerAsync();
        var first = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        await using var second = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
        await first.NextStateAsync();
        await second.NextStateAsync();

        using var third = new ClientWebSocket();
        third.Options.CollectHttpResponseDetails = true;
        var uri = OverlayClient.SocketUri(replica.BaseAddress, streamer.OverlayId.ToString());
        await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(uri, new CancellationTokenSource(Waits.Short).Token));
        var (status, retryAfter, problem) = await OverlayClient.RefusedUpgradeAsync(replica.BaseAddress, streamer.OverlayId);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.HttpStatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("5", retryAfter);
        Assert.Equal("Overlay capacity reached", problem.GetProperty("title").GetString());
        Assert.Contains("MAX_WEBSOCKET_CONNECTIONS", problem.GetProperty("detail").GetString());

        await first.DisposeAsync();
        await Waits.Until(async () =>
        {
            try
            {
                await using var retry = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
                return (await retry.NextStateAsync()).Text("type") == "state";
            }
            catch (WebSocketException)
            {
                return false;
            }
        }, Waits.Short, "a freed slot to admit a new socket");
    }
}

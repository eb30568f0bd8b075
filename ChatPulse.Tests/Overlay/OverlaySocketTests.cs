using System.Net.WebSockets;
using System.Text.Json;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

[Collection(AppHostCollection.Name)]
public sealed class OverlaySocketTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task On_connect_the_socket_sends_the_current_state_and_configuration_at_once()
    {
        var streamer = await _scenario.NewStreamerAsync();

        await using var client = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId);
        var state = await client.NextStateAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(("Yes", "No", "combined", "dark", "idle"),
            (state.Text("forLabel"), state.Text("againstLabel"), state.Text("displayMode"), state.Text("theme"), state.Text("status")));
        Assert.Equal((0.5, 0.5, 0L), (state.Number("forRatio"), state.Number("againstRatio"), state.Long("totalVotes")));
    }

    [Fact]
    public async Task Published_snapshots_arrive_as_ratios_and_vote_counts()
    {
        var streamer = await _scenario.NewStreamerAsync();
        await using var client = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId);
        await client.NextStateAsync();

        await _scenario.PublishAsync(streamer, votesFor: 3, votesAgainst: 1);
        var state = await client.WaitForStateAsync(s => s.Long("totalVotes") == 4, "4 votes");

        Assert.Equal((0.75, 0.25, 3L, 1L, "active"),
            (state.Number("forRatio"), state.Number("againstRatio"), state.Long("forVotes"), state.Long("againstVotes"), state.Text("status")));
    }

    [Fact]
    public async Task Saving_the_configuration_and_reset_reach_a_connected_overlay_immediately()
    {
        var streamer = await _scenario.NewStreamerAsync();
        await using var client = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId);
        await client.NextStateAsync();
        await _scenario.PublishAsync(streamer, 5, 1);
        await client.WaitForStateAsync(s => s.Long("totalVotes") == 6, "6 votes");

        await _scenario.Store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with
        {
            ForLabel = "Win", AgainstLabel = "Loss", DisplayMode = DisplayMode.Split, Theme = OverlayTheme.Light,
        }, default);
        await _scenario.Events.PublishAsync(new StreamerEvent(StreamerEventKind.ConfigurationChanged, streamer.TwitchUserId), default);
        var saved = await client.WaitForStateAsync(s => s.Text("forLabel") == "Win", "the saved labels", TimeSpan.FromSeconds(2));

        await _scenario.Events.PublishAsync(new StreamerEvent(StreamerEventKind.VotesReset, streamer.TwitchUserId), default);
        var reset = await client.WaitForStateAsync(s => s.Long("totalVotes") == 0, "no votes after reset", TimeSpan.FromSeconds(2));

        Assert.Equal(("Loss", "split", "light", 6L), (saved.Text("againstLabel"), saved.Text("displayMode"), saved.Text("theme"), saved.Long("totalVotes")));
        Assert.Equal((0.5, "idle", "Win"), (reset.Number("forRatio"), reset.Text("status"), reset.Text("forLabel")));
    }

    [Fact]
    public async Task Rotation_closes_the_old_ids_sockets_with_the_do_not_reconnect_code_and_the_old_id_stays_closed()
    {
        var streamer = await _scenario.NewStreamerAsync();
        await using var client = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId);
        await client.NextStateAsync();

        var newId = await _scenario.Store.RotateOverlayIdAsync(streamer.Id, default);
        await _scenario.Events.PublishAsync(new StreamerEvent(StreamerEventKind.OverlayRotated, streamer.TwitchUserId, streamer.OverlayId), default);

        Assert.Equal(OverlayProtocol.CloseOverlayGone, await client.WaitForCloseAsync());
        await using var again = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId);
        Assert.Equal(OverlayProtocol.CloseOverlayGone, await again.WaitForCloseAsync());
        await using var onNewId = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, newId);
        Assert.Equal("Yes", (await onNewId.NextStateAsync()).Text("forLabel"));
    }

    [Fact]
    public async Task Unknown_id_is_closed_with_the_do_not_reconnect_code_malformed_id_is_400_plain_http_is_426()
    {
        await using var unknown = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, Guid.NewGuid());
        Assert.Equal(OverlayProtocol.CloseOverlayGone, await unknown.WaitForCloseAsync());

        using var malformed = new ClientWebSocket();
        malformed.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() =>
            malformed.ConnectAsync(OverlayClient.SocketUri(fixture.ApiBaseAddress, "not-a-guid"), new CancellationTokenSource(Waits.Short).Token));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.HttpStatusCode);

        using var plain = await fixture.Api.GetAsync($"/ws/overlay/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.UpgradeRequired, plain.StatusCode);
    }

    [Fact]
    public async Task A_refused_socket_request_is_answered_like_any_other_request_and_counted_under_its_route()
    {
        // The socket is served ahead of the page pipeline; its refusals still get what every response gets.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/ws/overlay/{Guid.NewGuid()}");
        request.Headers.Add("X-Correlation-ID", "socket-refusal-1");
        using var plain = await fixture.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.UpgradeRequired, plain.StatusCode);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
        Assert.Equal("socket-refusal-1", Assert.Single(plain.Headers.GetValues("X-Correlation-ID")));
        Assert.Equal("nosniff", Assert.Single(plain.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("frame-ancestors 'none'", Assert.Single(plain.Headers.GetValues("Content-Security-Policy")));
        using var problem = JsonDocument.Parse(await plain.Content.ReadAsStringAsync());
        Assert.Equal("socket-refusal-1", problem.RootElement.GetProperty("correlationId").GetString());

        // Only /ws/overlay/{overlayId} is the socket: more segments are the rest of the app's (not found).
        using var deeper = await fixture.Api.GetAsync($"/ws/overlay/{Guid.NewGuid()}/more");
        Assert.Equal(HttpStatusCode.NotFound, deeper.StatusCode);

        await Waits.Until(async () =>
        {
            using var metrics = await fixture.Api.GetAsync("/metrics");
            return PrometheusSample.Parse(await metrics.Content.ReadAsStringAsync()).Any(s => s.Name == "http_requests_total"
                && s.Labels.GetValueOrDefault("http_route") == "/ws/overlay/{overlayId}" && s.Labels.GetValueOrDefault("status") == "426");
        }, Waits.Short, "the refused socket request in http_requests_total under its route");
    }

    [Fact]
    public async Task Origin_policy_accepts_no_origin_and_the_own_host_and_refuses_other_sites()
    {
        var streamer = await _scenario.NewStreamerAsync();

        await using var own = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId, origin: $"http://{fixture.ApiBaseAddress.Host}:1234");
        await own.NextStateAsync();

        using var foreign = new ClientWebSocket();
        foreign.Options.CollectHttpResponseDetails = true;
        foreign.Options.SetRequestHeader("Origin", "https://evil.example");
        await Assert.ThrowsAsync<WebSocketException>(() =>
            foreign.ConnectAsync(OverlayClient.SocketUri(fixture.ApiBaseAddress, streamer.OverlayId.ToString()), new CancellationTokenSource(Waits.Short).Token));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);
    }
}

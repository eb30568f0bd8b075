using System.Net.WebSockets;
using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// Sockets per tenant: caps per overlay id and per client address, per-client rate limits on upgrades and on the
/// page, and the memory of unknown ids. Each test runs its own replica, so buckets and counters start at zero.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class OverlayTenantTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task The_21st_socket_for_one_overlay_id_is_refused_with_429_and_Retry_After_while_other_ids_connect()
    {
        await using var replica = await ApiInstance.StartAsync(fixture.SharedApiEnvironment());
        var streamer = await _scenario.NewStreamerAsync();
        var sockets = new List<OverlayClient>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var socket = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId);
                sockets.Add(socket);
                await socket.NextStateAsync();
            }

            var (status, retryAfter, problem) = await OverlayClient.RefusedUpgradeAsync(replica.BaseAddress, streamer.OverlayId);
            var other = await _scenario.NewStreamerAsync();
            await using var otherSocket = await OverlayClient.ConnectAsync(replica.BaseAddress, other.OverlayId);

            Assert.Equal(HttpStatusCode.TooManyRequests, status);
            Assert.Equal("5", retryAfter);
            Assert.Contains("MAX_OVERLAY_SOCKETS_PER_ID", problem.GetProperty("detail").GetString());
            Assert.Equal("state", (await otherSocket.NextStateAsync()).Text("type"));
            Assert.Equal(1, await RefusalsAsync(replica, "overlay_cap"));
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_per_client_cap_counts_the_address_a_trusted_proxy_forwards_not_the_proxys()
    {
        var environment = fixture.SharedApiEnvironment();
        environment["TRUSTED_PROXIES"] = "127.0.0.1";
        environment["MAX_OVERLAY_SOCKETS_PER_CLIENT"] = "2";
        await using var replica = await ApiInstance.StartAsync(environment);
        var streamer = await _scenario.NewStreamerAsync();
        await using var first = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId, forwardedFor: "203.0.113.7");
        await using var second = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId, forwardedFor: "203.0.113.7");
        await first.NextStateAsync();
        await second.NextStateAsync();

        var (status, retryAfter, problem) = await OverlayClient.RefusedUpgradeAsync(replica.BaseAddress, streamer.OverlayId, forwardedFor: "203.0.113.7");
        await using var neighbour = await OverlayClient.ConnectAsync(replica.BaseAddress, streamer.OverlayId, forwardedFor: "203.0.113.8");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.NotNull(retryAfter);
        Assert.Contains("MAX_OVERLAY_SOCKETS_PER_CLIENT", problem.GetProperty("detail").GetString());
        Assert.Equal("state", (await neighbour.NextStateAsync()).Text("type"));
    }

    [Fact]
    public async Task Socket_upgrades_past_a_clients_burst_are_refused_with_429_and_Retry_After()
    {
        var environment = fixture.SharedApiEnvironment();
        environment["MAX_OVERLAY_SOCKETS_PER_ID"] = "1000"; // only the rate limit may refuse here
        environment["MAX_OVERLAY_SOCKETS_PER_CLIENT"] = "1000";
        await using var replica = await ApiInstance.StartAsync(environment);
        var unknownId = Guid.NewGuid(); // accepted, then closed with 4404: the cheapest upgrade there is

        var accepted = 0;
        ClientWebSocket? refused = null;
        while (refused is null && accepted < 200)
        {
            var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                await socket.ConnectAsync(OverlayClient.SocketUri(replica.BaseAddress, unknownId.ToString()), new CancellationTokenSource(Waits.Short).Token);
                accepted++;
                socket.Abort();
                socket.Dispose();
            }
            catch (WebSocketException)
            {
                refused = socket;
            }
        }

        using (refused)
        {
            Assert.NotNull(refused);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.HttpStatusCode);
            Assert.True(refused.HttpResponseHeaders?.ContainsKey("Retry-After"), "a Retry-After header");
        }

        Assert.InRange(accepted, 50, 199); // the burst, and what refilled while the loop ran
        Assert.True(await RefusalsAsync(replica, "rate_limited") >= 1);
    }

    [Fact]
    public async Task Overlay_page_requests_past_a_clients_burst_get_the_pages_429_notice_with_Retry_After()
    {
        await using var replica = await ApiInstance.StartAsync(fixture.SharedApiEnvironment());
        var unknownId = Guid.NewGuid();

        var answered = 0;
        HttpResponseMessage? refused = null;
        while (refused is null && answered < 200)
        {
            var response = await replica.Client.GetAsync($"/overlay/{unknownId}");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                answered++;
                response.Dispose();
            }
        }

        using (refused)
        {
            Assert.NotNull(refused);
            Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(refused.Headers.RetryAfter?.Delta);
            Assert.Contains("reloads by itself", await refused.Content.ReadAsStringAsync());
        }

        Assert.InRange(answered, 20, 199);
    }

    [Fact]
    public async Task Many_requests_for_one_unknown_overlay_id_cost_one_Postgres_lookup()
    {
        await using var replica = await ApiInstance.StartAsync(fixture.SharedApiEnvironment());
        var unknownId = Guid.NewGuid();

        for (var i = 0; i < 15; i++)
        {
            using var page = await replica.Client.GetAsync($"/overlay/{unknownId}");
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            await using var socket = await OverlayClient.ConnectAsync(replica.BaseAddress, unknownId);
            Assert.Equal(4404, await socket.WaitForCloseAsync());
        }

        await Waits.Until(async () => await LookupsAsync(replica, "remembered_unknown") == 17, Waits.Short, "the 18 lookups in /metrics");
        Assert.Equal(1, await LookupsAsync(replica, "database"));
    }


    private static Task<double> RefusalsAsync(ApiInstance replica, string reason) =>
        CounterAsync(replica, "chatpulse_overlay_refusals_total", "reason", reason);

    private static Task<double> LookupsAsync(ApiInstance replica, string source) =>
        CounterAsync(replica, "chatpulse_overlay_lookups_total", "source", source);

    private static async Task<double> CounterAsync(ApiInstance replica, string name, string label, string value)
    {
        var samples = PrometheusSample.Parse(await replica.Client.GetStringAsync("/metrics"));
        return samples.Where(s => s.Name == name && s.Labels.GetValueOrDefault(label) == value).Sum(s => s.Value);
    }
}

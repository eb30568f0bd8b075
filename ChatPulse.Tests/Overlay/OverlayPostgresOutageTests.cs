using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Overlay;

/// <summary>
/// The overlay page and socket handshake while Postgres is down: a replica reaches the collection's Postgres through
/// a relay the test cuts (<see cref="TcpProxy"/>), so only this replica loses it.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class OverlayPostgresOutageTests(AppHostFixture fixture)
{
    private readonly OverlayScenario _scenario = new(fixture);

    [Fact]
    public async Task Without_Postgres_the_page_is_a_503_notice_that_reloads_and_the_handshake_a_503_with_Retry_After()
    {
        await using var relay = TcpProxy.ForPostgres(fixture.DatabaseConnectionString);
        var environment = fixture.SharedApiEnvironment();
        environment["ConnectionStrings__chatpulsedb"] = relay.RewritePostgres(fixture.DatabaseConnectionString);
        await using var replica = await ApiInstance.StartAsync(environment);
        var known = await _scenario.NewStreamerAsync();
        using (var before = await replica.Client.GetAsync($"/overlay/{known.OverlayId}"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using (var watched = await OverlayClient.ConnectAsync(replica.BaseAddress, known.OverlayId))
        {
            await watched.NextStateAsync(); // the replica now knows the id and the channel's settings
        }

        relay.Cut();
        using var page = await replica.Client.GetAsync($"/overlay/{Guid.NewGuid()}");
        var notice = await page.Content.ReadAsStringAsync();
        var (status, retryAfter, problem) = await OverlayClient.RefusedUpgradeAsync(replica.BaseAddress, Guid.NewGuid());
        using var knownPage = await replica.Client.GetAsync($"/overlay/{known.OverlayId}");
        await using var knownSocket = await OverlayClient.ConnectAsync(replica.BaseAddress, known.OverlayId);
        var knownState = await knownSocket.NextStateAsync(); // from the last known settings (ChannelDirectory) and Redis

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(page.Headers.RetryAfter?.Delta);
        Assert.Contains("reloads by itself", notice);
        Assert.Contains($"<meta http-equiv=\"refresh\" content=\"{(int)page.Headers.RetryAfter!.Delta!.Value.TotalSeconds}\">", notice);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.NotNull(retryAfter);
        Assert.Equal("Overlay briefly unavailable", problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, knownPage.StatusCode); // an id this replica resolved keeps loading
        Assert.Equal(0L, knownState.Long("totalVotes")); // and its socket keeps working: a state frame, from what it knew
    }
}

using System.Net.ServerSentEvents;
using System.Text.Json;
using ChatPulse.Api.Dashboard;
using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Dashboard;

/// <summary>The dashboard's live overlay count (<c>GET /api/dashboard/overlays/live</c>, server-sent events).</summary>
[Collection(AppHostCollection.Name)]
public sealed class OverlayCountStreamTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.SharedAsync(fixture);

    public Task DisposeAsync() => Task.CompletedTask; // the shared replica goes with the fixture

    [Fact]
    public async Task The_live_count_follows_an_overlay_connecting_and_leaving_on_another_replica()
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "livecount");
        using var _ = visitor;
        using var response = await visitor.Http.GetAsync(OverlayCountStream.Path, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        await using var counts = SseParser.Create(stream).EnumerateAsync().GetAsyncEnumerator();

        var first = await NextCountAsync(counts);
        var overlay = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId); // the AppHost's replica
        await overlay.NextStateAsync();
        await WaitForCountAsync(counts, 1, "the overlay to be counted");
        await overlay.DisposeAsync();
        await WaitForCountAsync(counts, 0, "the overlay to leave the count");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, first);
    }

    [Fact]
    public async Task The_live_count_needs_a_session()
    {
        using var anonymous = _replica.NewVisitor();

        using var response = await anonymous.GetAsync(OverlayCountStream.Path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>Reads counts until one is <paramref name="expected"/>; a generous wait (presence is reported each second).</summary>
    private static async Task WaitForCountAsync(IAsyncEnumerator<SseItem<string>> events, long expected, string what)
    {
        using var deadline = new CancellationTokenSource(Waits.Short);
        try
        {
            while (await NextCountAsync(events).WaitAsync(deadline.Token) != expected)
            {
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
    }

    /// <summary>The next <c>overlays</c> event's count.</summary>
    private static async Task<long> NextCountAsync(IAsyncEnumerator<SseItem<string>> events)
    {
        while (await events.MoveNextAsync().AsTask().WaitAsync(Waits.Short))
        {
            if (events.Current.EventType == OverlayCountStream.EventType)
            {
                using var data = JsonDocument.Parse(events.Current.Data);
                return data.RootElement.GetProperty("connected").GetInt64();
            }
        }

        throw new InvalidOperationException("The stream ended before the next count.");
    }
}

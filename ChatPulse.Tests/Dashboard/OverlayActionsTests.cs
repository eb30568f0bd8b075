using System.Net.Http.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using ChatPulse.Api.Dashboard;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;
using StackExchange.Redis;

namespace ChatPulse.Tests.Dashboard;

/// <summary>Rotate overlay URL, reset to center, and the connected-overlay count, through the dashboard.</summary>
[Collection(AppHostCollection.Name)]
public sealed class OverlayActionsTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;
    private Visitor _signedIn = null!;
    private StreamerStore _store = null!;
    private Streamer _streamer = null!;

    public async Task InitializeAsync()
    {
        _replica = await ApiInstance.SharedAsync(fixture);
        (_signedIn, _streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "overlays");
        _store = new StreamerStore(_replica.Database);
    }

    public Task DisposeAsync()
    {
        _signedIn.Dispose(); // the shared replica goes with the fixture
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Rotating_the_overlay_url_retires_the_old_id_at_once_and_tells_every_replica()
    {
        using var visitor = _signedIn.WithSessionTo(_replica.BaseAddress);
        await using var events = await StreamerEventRecorder.StartAsync(fixture.RedisConnectionString);
        var old = (await _store.GetByIdAsync(_streamer.Id, default))!.OverlayId;

        var page = await PressAsync(visitor, "rotate");

        var rotated = (await _store.GetByIdAsync(_streamer.Id, default))!;
        Assert.NotEqual(old, rotated.OverlayId);
        Assert.Null(await _store.GetByOverlayIdAsync(old, default));
        Assert.Equal(rotated.Id, (await _store.GetByOverlayIdAsync(rotated.OverlayId, default))?.Id);
        Assert.EndsWith($"/overlay/{rotated.OverlayId}", ((IHtmlInputElement)page.QuerySelector("[data-testid=overlay-url]")!).Value);
        Assert.Contains("old one stopped working", page.QuerySelector("[data-testid=notice]")!.TextContent);
        var announced = await events.WaitForAsync(StreamerEventKind.OverlayRotated, _streamer.TwitchUserId);
        Assert.Equal(old, announced.OldOverlayId);
        var audit = await _replica.WaitForLogAsync(e => e.Category == AuditLog.Category && e.Value("Action") == "overlay_rotated"
            && e.Value("StreamerId") == _streamer.Id.ToString(), "the rotation's audit entry");
        Assert.DoesNotContain(old.ToString(), audit.Message); // overlay ids are secrets, never logged
    }

    [Fact]
    public async Task Reset_to_center_announces_the_reset_and_audits_it()
    {
        using var visitor = _signedIn.WithSessionTo(_replica.BaseAddress);
        await using var events = await StreamerEventRecorder.StartAsync(fixture.RedisConnectionString);

        var page = await PressAsync(visitor, "reset");

        Assert.Contains("Votes cleared", page.QuerySelector("[data-testid=notice]")!.TextContent);
        await events.WaitForAsync(StreamerEventKind.VotesReset, _streamer.TwitchUserId);
        await _replica.WaitForLogAsync(e => e.Category == AuditLog.Category && e.Value("Action") == "votes_reset"
            && e.Value("StreamerId") == _streamer.Id.ToString(), "the reset's audit entry");
    }

    [Fact]
    public async Task Rotate_and_reset_without_the_antiforgery_token_are_400s_that_change_nothing()
    {
        using var visitor = _signedIn.WithSessionTo(_replica.BaseAddress);
        await using var events = await StreamerEventRecorder.StartAsync(fixture.RedisConnectionString);
        var before = (await _store.GetByIdAsync(_streamer.Id, default))!.OverlayId;

        using var rotate = await visitor.PostFormAsync(visitor.Resolve("/dashboard?handler=Rotate"), []);
        using var reset = await visitor.PostFormAsync(visitor.Resolve("/dashboard?handler=Reset"), []);
        await Task.Delay(500); // an event published by mistake would have arrived by now

        Assert.Equal(HttpStatusCode.BadRequest, rotate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reset.StatusCode);
        Assert.Equal(before, (await _store.GetByIdAsync(_streamer.Id, default))!.OverlayId);
        Assert.False(events.Any(_streamer.TwitchUserId));
    }

    [Fact]
    public async Task The_connected_overlay_count_is_the_cluster_wide_presence()
    {
        using var visitor = _signedIn.WithSessionTo(_replica.BaseAddress);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString);
        var presence = new OverlayPresence(redis, TimeProvider.System);

        var none = await visitor.Http.GetFromJsonAsync<DashboardApi.OverlayCountResponse>("/api/dashboard/overlays");
        await presence.HeartbeatAsync(_streamer.TwitchUserId, "replica-a", 2, 2, default);
        await presence.HeartbeatAsync(_streamer.TwitchUserId, "replica-b", 1, 1, default);
        var three = await visitor.Http.GetFromJsonAsync<DashboardApi.OverlayCountResponse>("/api/dashboard/overlays");
        var page = await visitor.PageAsync("/dashboard");
        await presence.HeartbeatAsync(_streamer.TwitchUserId, "replica-a", 0, 0, default);
        await presence.HeartbeatAsync(_streamer.TwitchUserId, "replica-b", 0, 0, default);

        Assert.Equal(0, none!.Connected);
        Assert.Equal(3, three!.Connected);
        Assert.Equal("3", page.QuerySelector("[data-testid=overlay-count]")!.TextContent);
    }

    /// <summary>Loads the dashboard, presses the button with <paramref name="testId"/>, follows the redirect.</summary>
    private static async Task<IHtmlDocument> PressAsync(Visitor visitor, string testId)
    {
        var page = await visitor.PageAsync("/dashboard");
        var form = (IHtmlFormElement)page.QuerySelector($"[data-testid={testId}]")!.Closest("form")!;
        using var response = await visitor.PostFormAsync(Visitor.ActionOf(form, visitor.Resolve("/dashboard")), Visitor.FieldsOf(form));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await visitor.PageAsync(response.Headers.Location!.OriginalString);
    }
}

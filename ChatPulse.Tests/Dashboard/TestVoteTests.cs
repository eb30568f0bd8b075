using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using ChatPulse.Api.Dashboard;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Overlay;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Dashboard;

/// <summary>
/// The test-vote buttons (<c>POST /api/dashboard/test-votes</c>) on a login replica (an <see cref="ApiInstance"/>),
/// watched by overlay sockets on the AppHost's replica: chat's vote path, the session's own channel only.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class TestVoteTests(AppHostFixture fixture) : IAsyncLifetime
{
    private readonly OverlayScenario _scenario = new(fixture);
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.SharedAsync(fixture);

    public Task DisposeAsync() => Task.CompletedTask; // the shared replica goes with the fixture

    [Fact]
    public async Task Test_votes_move_the_window_reach_an_overlay_on_another_replica_and_are_counted_as_test()
    {
        var (visitor, streamer) = await SignInAsync("testvotes");
        using var _ = visitor;
        await using var overlay = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, streamer.OverlayId);
        await overlay.NextStateAsync(); // presence announced: votes count
        var fields = await FormFieldsAsync(visitor);
        var before = await AppliedAsync(_replica, "test");

        using var pressFor = await PressAsync(visitor, fields, "for");
        var answerFor = await pressFor.Content.ReadFromJsonAsync<TestVotes.TestVotesResponse>();
        var afterFor = await overlay.WaitForStateAsync(s => s.Long("forVotes") == 10, "the 10 test votes for");
        using var pressAgainst = await PressAsync(visitor, fields, "against");
        var afterAgainst = await overlay.WaitForStateAsync(s => s.Long("againstVotes") == 10, "the 10 test votes against");
        using var pressBurst = await PressAsync(visitor, fields, "burst");
        var burst = (await pressBurst.Content.ReadFromJsonAsync<TestVotes.TestVotesResponse>())!;
        var afterBurst = await overlay.WaitForStateAsync(s => s.Long("totalVotes") == 20 + burst.Counted, "the burst");

        Assert.Equal(HttpStatusCode.OK, pressFor.StatusCode);
        Assert.Equal((10, 10), (answerFor!.Sent, answerFor.Counted));
        Assert.Equal(1.0, afterFor.Number("forRatio"));
        Assert.Equal(0.5, afterAgainst.Number("forRatio"));
        Assert.InRange(burst.Sent, TestVotes.BurstMinVotes, TestVotes.BurstMaxVotes);
        Assert.Equal(burst.Sent, burst.Counted); // every test vote is a viewer of its own: none debounced
        Assert.Equal(20 + burst.Sent, afterBurst.Long("forVotes") + afterBurst.Long("againstVotes"));
        var testVotes = 0.0;
        await Waits.Until(async () => (testVotes = await AppliedAsync(_replica, "test") - before) >= 20 + burst.Sent, Waits.Short,
            "the test votes in /metrics tagged source=test");
        Assert.Equal(20 + burst.Sent, testVotes); // tests of the collection run one at a time: these are all this test's
    }

    [Fact]
    public async Task Test_votes_reach_only_the_sessions_own_channel_whatever_the_request_names()
    {
        var (mine, me) = await SignInAsync("own");
        var (theirs, other) = await SignInAsync("other");
        using var _ = mine;
        using var __ = theirs;
        await using var myOverlay = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, me.OverlayId);
        await using var theirOverlay = await OverlayClient.ConnectAsync(fixture.ApiBaseAddress, other.OverlayId);
        await myOverlay.NextStateAsync();
        await theirOverlay.NextStateAsync(); // watched: a vote that reached their channel would count
        var fields = await FormFieldsAsync(mine);
        using var anonymous = _replica.NewVisitor();

        var forged = fields.Concat([new("broadcasterId", other.TwitchUserId), new("broadcaster_id", other.TwitchUserId)]);
        using var forgedBody = await PressAsync(mine, forged, "for", $"?broadcasterId={other.TwitchUserId}&broadcaster_id={other.TwitchUserId}");
        await myOverlay.WaitForStateAsync(s => s.Long("forVotes") == 10, "my own 10 test votes");
        using var theirSessionMyToken = await PressAsync(theirs, fields, "for");
        using var noSession = await PressAsync(anonymous, fields, "for");
        using var noToken = await PressAsync(mine, fields.Where(f => f.Key != "__RequestVerificationToken"), "for");
        using var jsonBody = await mine.Http.PostAsJsonAsync(TestVotes.Path, new { kind = "for", broadcasterId = other.TwitchUserId });
        using var unknownKind = await PressAsync(mine, fields, "everyone");
        await Task.Delay(500); // a vote misrouted by the refused requests would have reached Redis by now

        Assert.Equal(HttpStatusCode.OK, forgedBody.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, theirSessionMyToken.StatusCode); // the token is bound to my session
        Assert.Equal(HttpStatusCode.Unauthorized, noSession.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, jsonBody.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownKind.StatusCode);
        Assert.Equal("application/problem+json", noToken.Content.Headers.ContentType?.MediaType);
        Assert.False(await fixture.Redis.GetDatabase().KeyExistsAsync(RedisKeys.VoteWindow(other.TwitchUserId)), "their window was touched");
        Assert.Equal(1, theirOverlay.StatesReceived); // the first frame, nothing since
        Assert.Equal(10, (await new VoteWindow(fixture.Redis).ReadAsync(me.TwitchUserId, null, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).For);
    }

    [Fact]
    public async Task Without_a_connected_overlay_test_votes_are_refused_with_409_and_count_nothing()
    {
        var (visitor, streamer) = await SignInAsync("unwatched");
        using var _ = visitor;

        using var press = await PressAsync(visitor, await FormFieldsAsync(visitor), "for");

        Assert.Equal(HttpStatusCode.Conflict, press.StatusCode);
        var problem = await press.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("No overlay is connected", problem.GetProperty("title").GetString());
        Assert.False(await fixture.Redis.GetDatabase().KeyExistsAsync(RedisKeys.VoteWindow(streamer.TwitchUserId)));
    }

    [Fact]
    public async Task A_streamer_pressing_too_often_gets_429_with_retry_after_from_every_browser()
    {
        var (visitor, _) = await SignInAsync("eager");
        using var __ = visitor;
        using var secondBrowser = visitor.WithSessionTo(_replica.BaseAddress); // another address, the same streamer
        var fields = await FormFieldsAsync(visitor);
        var secondFields = await FormFieldsAsync(secondBrowser);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < TestVoteLimiter.Burst; i++)
        {
            using var press = await PressAsync(visitor, fields, "for");
            statuses.Add(press.StatusCode); // 409: nothing watches, but the press counts against the limit
        }

        using var limited = await PressAsync(visitor, fields, "for");
        using var limitedElsewhere = await PressAsync(secondBrowser, secondFields, "for");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Conflict, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After"))), 1, 60 / TestVoteLimiter.PerMinute);
        Assert.Equal(429, (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedElsewhere.StatusCode);
    }

    /// <summary>A new streamer signed in on the login replica, whose votes never leave the window during a test.</summary>
    private async Task<(Visitor Visitor, Streamer Streamer)> SignInAsync(string prefix)
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, prefix);
        await _scenario.Store.SaveConfigurationAsync(streamer.Id, OverlayConfiguration.Default with { MemorySeconds = null }, default);
        return (visitor, streamer);
    }

    /// <summary>The test-vote form's fields (its antiforgery token) as the dock serves them.</summary>
    internal static async Task<List<KeyValuePair<string, string>>> FormFieldsAsync(Visitor visitor)
    {
        var page = await visitor.PageAsync("/dock");
        return Visitor.FieldsOf(page.QuerySelector<IHtmlFormElement>("[data-testid=test-votes]")!);
    }

    internal static Task<HttpResponseMessage> PressAsync(Visitor visitor, IEnumerable<KeyValuePair<string, string>> fields, string kind, string query = "") =>
        visitor.PostFormAsync(visitor.Resolve(TestVotes.Path + query), fields.Append(new("kind", kind)));

    private static async Task<double> AppliedAsync(ApiInstance replica, string source)
    {
        var samples = PrometheusSample.Parse(await replica.Client.GetStringAsync("/metrics"));
        return samples.Where(s => s.Name == "chatpulse_votes_processed_total" && s.Labels.GetValueOrDefault("outcome") == "applied"
            && s.Labels.GetValueOrDefault("source") == source).Sum(s => s.Value);
    }
}

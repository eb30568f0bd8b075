using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.TwitchStandIn;

/// <summary>EventSub subscriptions: create, 409 on a duplicate, condition checks, paginated listing and its filter rule, delete.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SubscriptionTests(AppHostFixture fixture)
{
    private const string Bot = "100000001";

    [Fact]
    public async Task Subscribing_twice_to_the_same_type_and_condition_is_409()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        var conduit = await app.CreateConduitAsync();
        var streamer = await app.CreateUserAsync(StandInApp.UniqueLogin("dup"));

        using var first = await app.SubscribeChatAsync(conduit, streamer, Bot);
        using var second = await app.SubscribeChatAsync(conduit, streamer, Bot);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        using var created = await StandInApp.ReadJsonAsync(first);
        var subscription = created.RootElement.GetProperty("data")[0];
        Assert.Equal("enabled", subscription.GetProperty("status").GetString());
        Assert.Equal(streamer, subscription.GetProperty("condition").GetProperty("broadcaster_user_id").GetString());
        Assert.Equal(conduit, subscription.GetProperty("transport").GetProperty("conduit_id").GetString());
        Assert.Equal(1, created.RootElement.GetProperty("total").GetInt32());

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        using var conflict = await StandInApp.ReadJsonAsync(second);
        Assert.Equal("Conflict", conflict.RootElement.GetProperty("error").GetString());
        Assert.Equal(409, conflict.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Bad_conditions_a_missing_conduit_and_a_channel_without_a_grant_are_refused()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        var conduit = await app.CreateConduitAsync();
        var granted = await app.CreateUserAsync(StandInApp.UniqueLogin("ok"));
        var notGranted = await app.CreateUserAsync(StandInApp.UniqueLogin("nogrant"), grantChannelBot: false);

        using var missingField = await app.HelixAsync(HttpMethod.Post, "/eventsub/subscriptions", new
        {
            type = "channel.chat.message", version = "1", condition = new { broadcaster_user_id = granted },
            transport = new { method = "conduit", conduit_id = conduit },
        });
        using var unknownUser = await app.SubscribeChatAsync(conduit, "999999999999", Bot);
        using var noConduit = await app.SubscribeChatAsync(Guid.NewGuid().ToString(), granted, Bot);
        using var noGrant = await app.SubscribeChatAsync(conduit, notGranted, Bot);

        Assert.Equal(HttpStatusCode.BadRequest, missingField.StatusCode);
        Assert.Contains("condition.user_id", await missingField.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unknownUser.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noConduit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noGrant.StatusCode);
    }

    [Fact]
    public async Task Listing_pages_with_the_after_cursor_until_the_pagination_object_is_empty()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress, pageSize: 2);
        var conduit = await app.CreateConduitAsync();
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await app.SubscribeChatAsync(conduit, await app.CreateUserAsync(StandInApp.UniqueLogin("page")), Bot);
            using var body = await StandInApp.ReadJsonAsync(response);
            created.Add(body.RootElement.GetProperty("data")[0].GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            using var response = await app.HelixAsync(HttpMethod.Get, "/eventsub/subscriptions?type=channel.chat.message" + (cursor is null ? "" : $"&after={Uri.EscapeDataString(cursor)}"));
            using var body = await StandInApp.ReadJsonAsync(response);
            Assert.Equal(5, body.RootElement.GetProperty("total").GetInt32());
            seen.AddRange(body.RootElement.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
            cursor = body.RootElement.GetProperty("pagination").TryGetProperty("cursor", out var c) ? c.GetString() : null;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(created, seen);
    }

    [Theory]
    [InlineData("status=enabled&type=channel.chat.message")]
    [InlineData("user_id=100000001&subscription_id=x")]
    [InlineData("type=channel.chat.message&user_id=100000001")]
    public async Task Combining_list_filters_is_400(string query)
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);

        using var response = await app.HelixAsync(HttpMethod.Get, $"/eventsub/subscriptions?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Filters_select_by_user_id_and_subscription_id_and_delete_is_204_then_404()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        var conduit = await app.CreateConduitAsync();
        var a = await app.CreateUserAsync(StandInApp.UniqueLogin("fa"));
        var b = await app.CreateUserAsync(StandInApp.UniqueLogin("fb"));
        using var subA = await StandInApp.ReadJsonAsync(await app.SubscribeChatAsync(conduit, a, Bot));
        using var subB = await StandInApp.ReadJsonAsync(await app.SubscribeChatAsync(conduit, b, Bot));
        var idA = subA.RootElement.GetProperty("data")[0].GetProperty("id").GetString();

        Assert.Equal([idA], await IdsAsync(app, $"user_id={a}"));
        Assert.Equal([idA], await IdsAsync(app, $"subscription_id={idA}"));
        Assert.Equal(2, (await IdsAsync(app, $"user_id={Bot}")).Count);

        using var deleted = await app.HelixAsync(HttpMethod.Delete, $"/eventsub/subscriptions?id={idA}");
        using var again = await app.HelixAsync(HttpMethod.Delete, $"/eventsub/subscriptions?id={idA}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(await IdsAsync(app, $"user_id={a}"));
    }

    private static async Task<List<string?>> IdsAsync(StandInApp app, string query)
    {
        using var response = await app.HelixAsync(HttpMethod.Get, $"/eventsub/subscriptions?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await StandInApp.ReadJsonAsync(response);
        return [.. body.RootElement.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString())];
    }
}

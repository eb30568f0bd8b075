using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;
using Npgsql;
using StackExchange.Redis;
using static ChatPulse.Api.Twitch.Webhook.EventSubHeaders;

namespace ChatPulse.Tests.Twitch;

/// <summary>End to end over HTTP: signed notifications posted to the running API become counted votes in Redis.</summary>
[Collection(AppHostCollection.Name)]
public sealed class WebhookVoteTests(AppHostFixture fixture)
{
    // The collection's shared clients: one connection each, closed with the fixture.
    private NpgsqlDataSource _dataSource => fixture.Database;
    private ConnectionMultiplexer _redis => fixture.Redis;

    private string Secret => fixture.ApiEnvironment["WEBHOOK_SECRET"];

    [Fact]
    public async Task A_signed_chat_message_that_equals_a_trigger_is_counted_and_published()
    {
        await using var channel = await VoteTestChannel.CreateAsync(_dataSource, _redis);

        using var response = await PostAsync(fixture.Api, EventSubMessages.ChatMessage(channel.BroadcasterId, "501", "  YES "));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var snapshot = await channel.NextSnapshotAsync();
        Assert.Equal((channel.BroadcasterId, 1L, 0L, 1.0), (snapshot.BroadcasterId, snapshot.For, snapshot.Against, snapshot.ForRatio));
        Assert.Equal((1, 0), await channel.TotalsAsync());
    }

    [Fact]
    public async Task A_message_that_is_only_an_emote_votes_for_the_emote_trigger()
    {
        await using var channel = await VoteTestChannel.CreateAsync(_dataSource, _redis,
            OverlayConfiguration.Default with { ForTriggers = ["Kappa"], AgainstTriggers = ["NotLikeThis"] });
        const string emote = """[{"type":"emote","text":"Kappa","cheermote":null,"mention":null,"emote":{"id":"25","emote_set_id":"0","owner_id":"0","format":["static"]}}]""";

        using var response = await PostAsync(fixture.Api, EventSubMessages.ChatMessage(channel.BroadcasterId, "502", "Kappa", fragmentsJson: emote));
        using var other = await PostAsync(fixture.Api, EventSubMessages.ChatMessage(channel.BroadcasterId, "503", "Kappa yes"));

        Assert.Equal(1, (await channel.NextSnapshotAsync()).For);
        Assert.Equal((1, 0), await channel.TotalsAsync()); // "Kappa yes" is not the trigger
    }

    [Fact]
    public async Task A_redelivered_message_is_acknowledged_but_counted_once()
    {
        await using var channel = await VoteTestChannel.CreateAsync(_dataSource, _redis);
        var body = EventSubMessages.ChatMessage(channel.BroadcasterId, "504", "no");
        var id = Guid.NewGuid().ToString();

        using var first = await fixture.Api.SendAsync(EventSubMessages.Request(Secret, Notification, body, messageId: id));
        using var again = await fixture.Api.SendAsync(EventSubMessages.Request(Secret, Notification, body, messageId: id));

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (first.StatusCode, again.StatusCode));
        Assert.Equal((0, 1), await channel.TotalsAsync());
    }

    [Fact]
    public async Task Shared_chat_copies_of_one_message_count_once_per_broadcaster()
    {
        await using var host = await VoteTestChannel.CreateAsync(_dataSource, _redis);
        await using var guest = await VoteTestChannel.CreateAsync(_dataSource, _redis);
        var source = Guid.NewGuid().ToString();

        // The source channel's own copy, a mirrored copy in the guest channel, and a second copy in the guest
        // channel through another delivery (different message and delivery ids, same source message).
        using var a = await PostAsync(fixture.Api, EventSubMessages.ChatMessage(host.BroadcasterId, "505", "yes", messageId: source));
        using var b = await PostAsync(fixture.Api, EventSubMessages.ChatMessage(guest.BroadcasterId, "505", "yes", sourceMessageId: source, sourceBroadcasterId: host.BroadcasterId));
        using var c = await PostAsync(fixture.Api, EventSubMessages.ChatMessage(guest.BroadcasterId, "505", "yes", sourceMessageId: source, sourceBroadcasterId: host.BroadcasterId));

        Assert.Equal((1, 0), await host.TotalsAsync());
        Assert.Equal((1, 0), await guest.TotalsAsync());
    }

    [Fact]
    public async Task A_viewer_voting_twice_within_a_second_counts_once()
    {
        await using var channel = await VoteTestChannel.CreateAsync(_dataSource, _redis);

        using var first = await PostAsync(fixture.Api, EventSubMessages.ChatMessage(channel.BroadcasterId, "506", "yes"));
        using var second = await PostAsync(fixture.Api, EventSubMessages.ChatMessage(channel.BroadcasterId, "506", "no"));
        using var otherViewer = await PostAsync(fixture.Api, EventSubMessages.ChatMessage(channel.BroadcasterId, "507", "no"));

        Assert.Equal((1, 1), await channel.TotalsAsync());
    }

    [Fact]
    public async Task Without_a_connected_overlay_a_vote_costs_no_redis_state()
    {
        await using var channel = await VoteTestChannel.CreateAsync(_dataSource, _redis, watched: false);

        using var response = await PostAsync(fixture.Api, EventSubMessages.ChatMessage(channel.BroadcasterId, "508", "yes"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(await channel.WindowExistsAsync());
        Assert.True(await channel.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Reset_from_the_dashboard_empties_the_window_on_every_replica_and_publishes_the_middle()
    {
        await using var channel = await VoteTestChannel.CreateAsync(_dataSource, _redis);
        using var vote = await PostAsync(fixture.Api, EventSubMessages.ChatMessage(channel.BroadcasterId, "509", "yes"));
        Assert.Equal(1, (await channel.NextSnapshotAsync()).For);

        var events = new StreamerEvents(_redis, Microsoft.Extensions.Logging.Abstractions.NullLogger<StreamerEvents>.Instance);
        await events.PublishAsync(new StreamerEvent(StreamerEventKind.VotesReset, channel.BroadcasterId), default);

        var snapshot = await channel.NextSnapshotAsync();
        Assert.Equal((0L, 0L, 0.5), (snapshot.For, snapshot.Against, snapshot.ForRatio));
        Assert.False(await channel.WindowExistsAsync());
    }

    [Fact]
    public async Task The_same_delivery_arriving_at_two_replicas_at_once_counts_once()
    {
        await using var second = await ApiInstance.StartAsync(fixture.SharedApiEnvironment());
        await using var channel = await VoteTestChannel.CreateAsync(_dataSource, _redis);

        const int messages = 25;
        var sends = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < messages; i++)
        {
            var body = EventSubMessages.ChatMessage(channel.BroadcasterId, (600 + i).ToString(), i % 2 == 0 ? "yes" : "no");
            var id = Guid.NewGuid().ToString();
            var timestamp = DateTimeOffset.UtcNow;
            sends.Add(fixture.Api.SendAsync(EventSubMessages.Request(Secret, Notification, body, id, timestamp)));
            sends.Add(second.Client.SendAsync(EventSubMessages.Request(Secret, Notification, body, id, timestamp)));
        }

        var responses = await Task.WhenAll(sends).WaitAsync(Waits.Short);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Equal((13, 12), await channel.TotalsAsync());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        client.SendAsync(EventSubMessages.Request(Secret, Notification, body));
}

using System.Net.Http.Json;
using System.Text.Json;
using ChatPulse.Api.Overlay;
using ChatPulse.Tests.Support;
using StackExchange.Redis;

namespace ChatPulse.Tests.Twitch;

/// <summary>The whole path: a streamer logs in through the stand-in, a viewer says a trigger there, the vote counts.</summary>
[Collection(AppHostCollection.Name)]
public sealed class StandInVoteTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_chat_message_said_in_the_stand_in_becomes_a_counted_vote()
    {
        // A replica with its own Twitch app logs the streamer in; its conduit's shard points at the fixture API's webhook.
        await using var replica = await ApiInstance.StartAsync(fixture);
        using var visitor = replica.NewVisitor();
        var login = TwitchLogin.NewLogin();
        await TwitchLogin.LogInAsync(visitor, login);
        await using var command = replica.Database.CreateCommand("SELECT twitch_user_id FROM streamers WHERE login = $1");
        command.Parameters.AddWithValue(login);
        var broadcasterId = (string)(await command.ExecuteScalarAsync())!;

        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString);
        await new OverlayPresence(redis, TimeProvider.System).HeartbeatAsync(broadcasterId, "test-overlay", 1, 1, default);
        await using var channel = await VoteTestChannel.WatchAsync(redis, broadcasterId);

        // The bot's subscription is made after login; say "yes" until a delivery reaches the webhook.
        var delivered = 0;
        await Waits.Until(async () =>
        {
            using var said = await fixture.TwitchStandIn.PostAsJsonAsync("/chat/say",
                new { broadcaster = login, chatter = TwitchLogin.NewLogin("viewer"), text = "yes" }, StandInApp.Json);
            using var body = JsonDocument.Parse(await said.Content.ReadAsStringAsync());
            delivered = body.RootElement.GetProperty("deliveries").EnumerateArray().Count(d => d.GetProperty("status").GetInt32() == 204);
            return delivered > 0;
        }, Waits.Short, "the stand-in to deliver chat to the webhook");

        var snapshot = await channel.NextSnapshotAsync();
        Assert.Equal((broadcasterId, 1L, 0L), (snapshot.BroadcasterId, snapshot.For, snapshot.Against));
        Assert.Equal((1, 0), await channel.TotalsAsync());
    }
}

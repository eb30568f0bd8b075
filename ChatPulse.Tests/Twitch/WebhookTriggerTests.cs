using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;
using Npgsql;
using StackExchange.Redis;
using static ChatPulse.Api.Twitch.Webhook.EventSubHeaders;

namespace ChatPulse.Tests.Twitch;

/// <summary>End to end over HTTP: trigger aliases and any-word matching count through the real webhook (docs/triggers.md).</summary>
[Collection(AppHostCollection.Name)]
public sealed class WebhookTriggerTests(AppHostFixture fixture)
{
    private static readonly OverlayConfiguration Aliases =
        OverlayConfiguration.Default with { ForTriggers = ["yes", "W", "Kappa"], AgainstTriggers = ["no", "L"] };

    private NpgsqlDataSource _dataSource => fixture.Database;
    private ConnectionMultiplexer _redis => fixture.Redis;

    private string Secret => fixture.ApiEnvironment["WEBHOOK_SECRET"];

    [Fact]
    public async Task An_alias_counts_for_its_side_and_a_longer_message_does_not_in_whole_message_mode()
    {
        await using var channel = await VoteTestChannel.CreateAsync(_dataSource, _redis, Aliases);

        using var alias = await PostAsync(EventSubMessages.ChatMessage(channel.BroadcasterId, "711", " w "));
        using var other = await PostAsync(EventSubMessages.ChatMessage(channel.BroadcasterId, "712", "L"));
        using var longer = await PostAsync(EventSubMessages.ChatMessage(channel.BroadcasterId, "713", "big W"));

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (alias.StatusCode, longer.StatusCode));
        Assert.Equal((1, 1), await channel.TotalsAsync());
    }

    [Fact]
    public async Task In_any_word_mode_a_word_or_emote_in_a_message_counts_and_both_sides_do_not()
    {
        await using var channel = await VoteTestChannel.CreateAsync(_dataSource, _redis, Aliases with { MatchMode = TriggerMatchMode.AnyWord });
        const string emote = """
            [{"type":"text","text":"gg ","cheermote":null,"emote":null,"mention":null},
             {"type":"emote","text":"Kappa","cheermote":null,"mention":null,"emote":{"id":"25","emote_set_id":"0","owner_id":"0","format":["static"]}}]
            """;

        using var word = await PostAsync(EventSubMessages.ChatMessage(channel.BroadcasterId, "721", "that was a huge L!"));
        using var emoteMessage = await PostAsync(EventSubMessages.ChatMessage(channel.BroadcasterId, "722", "gg Kappa", fragmentsJson: emote));
        using var both = await PostAsync(EventSubMessages.ChatMessage(channel.BroadcasterId, "723", "yes or no?"));
        using var inside = await PostAsync(EventSubMessages.ChatMessage(channel.BroadcasterId, "724", "yesterday nobody Wondered"));

        Assert.Equal(HttpStatusCode.NoContent, both.StatusCode);
        Assert.Equal((1, 1), await channel.TotalsAsync());
    }

    private Task<HttpResponseMessage> PostAsync(string body) =>
        fixture.Api.SendAsync(EventSubMessages.Request(Secret, Notification, body));
}
